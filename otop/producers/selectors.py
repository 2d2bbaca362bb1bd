"""Reads of the producer registry."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from otop.core.collation import order_by_name
from otop.producers.models import BankAccount, Certification, Producer


def active_producers() -> QuerySet[Producer]:
    return Producer.objects.filter(is_active=True).select_related("province", "district")


def producer_of(user) -> Producer | None:
    """The producer whose portal account this is (None for everyone else)."""
    if not user.is_authenticated:
        return None
    return Producer.objects.select_related("province", "district", "subdistrict").filter(user=user).first()


def producer_with_details(*, producer_id: int) -> Producer:
    return Producer.objects.select_related("province", "district", "subdistrict", "user").get(pk=producer_id)


def registry() -> QuerySet[Producer]:
    return order_by_name(Producer.objects.select_related("province", "district", "user"))


def expiring_certifications(*, today: date | None = None, within_days: int = 60) -> QuerySet[Certification]:
    """Certifications that expire within `within_days` (or already have), soonest first."""
    today = today or timezone.localdate()
    return (
        Certification.objects.filter(expires_on__isnull=False, expires_on__lte=today + timedelta(days=within_days))
        .select_related("producer")
        .order_by("expires_on", "id")
    )


def bank_accounts_of(producer: Producer) -> QuerySet[BankAccount]:
    return producer.bank_accounts.select_related("confirmed_by").order_by("-created_at", "-id")


def confirmed_bank_accounts(*, producer_ids) -> dict[int, BankAccount]:
    """The account each of these producers is paid into (the one staff confirmed), by producer id."""
    confirmed = BankAccount.objects.filter(producer_id__in=list(producer_ids), status=BankAccount.Status.CONFIRMED)
    return {account.producer_id: account for account in confirmed}


def pending_bank_accounts() -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(status=BankAccount.Status.PENDING).select_related("producer")
