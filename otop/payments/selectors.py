"""Reads of payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from otop.core.models import AuditEvent
from otop.core.money import ZERO
from otop.payments.models import BankTransfer, Payment, StatementLine

QR_SALT = "otop.payments.promptpay-qr"


def payments_for(paid_for: models.Model) -> QuerySet[Payment]:
    """Every payment of one order, till sale or booking, oldest first."""
    return Payment.objects.filter(
        content_type=ContentType.objects.get_for_model(paid_for), object_id=paid_for.pk
    ).order_by("created_at", "pk")


def received_total(paid_for: models.Model) -> Decimal:
    """What has been received for it (confirmed payments)."""
    total = payments_for(paid_for).filter(status=Payment.Status.CONFIRMED).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def promptpay_payment_for(paid_for: models.Model) -> Payment | None:
    """Its latest PromptPay request (waiting, received or cancelled)."""
    return payments_for(paid_for).filter(method=Payment.Method.PROMPTPAY).order_by("-created_at", "-pk").first()


def qr_path(payment: Payment, *, image_format: str = "svg") -> str:
    """The QR image's path (SVG for pages, PNG for chat apps that show only bitmaps); signed, so
    order amounts cannot be read by guessing numbers."""
    name = "payments:promptpay-qr" if image_format == "svg" else "payments:promptpay-qr-png"
    return reverse(name, args=[signing.dumps(payment.pk, salt=QR_SALT, compress=True)])


def payment_for_qr_token(token: str) -> Payment | None:
    try:
        pk = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature:
        return None
    return Payment.objects.filter(pk=pk).first()


def payments_for_staff(*, status: str = "", method: str = "", kind: str = "") -> QuerySet[Payment]:
    """Payments newest first, optionally of one status, method or kind of thing paid (`app.model`)."""
    payments = Payment.objects.select_related("content_type", "created_by", "confirmed_by")
    if status:
        payments = payments.filter(status=status)
    if method:
        payments = payments.filter(method=method)
    if kind:
        app_label, _dot, model = kind.partition(".")
        payments = payments.filter(content_type__app_label=app_label, content_type__model=model)
    return payments.order_by("-created_at", "-pk")


def transfers_for_staff(*, all_outcomes: bool = False) -> QuerySet[BankTransfer]:
    """Money from the bank that staff must look at (held, unmatched, to refund, not yet resolved); newest first."""
    transfers = BankTransfer.objects.select_related("payment").order_by("-received_at", "-pk")
    if all_outcomes:
        return transfers
    return transfers.exclude(outcome=BankTransfer.Outcome.MATCHED).filter(resolved_at__isnull=True)


# The audit action recorded when money the gateway took for something no longer for sale could not be given back.
CARD_REFUND_FAILED = "payments.card.refund_failed"


def card_refunds_due() -> QuerySet[Payment]:
    """Card payments whose automatic refund failed and that are not yet fully given back (staff retry them),
    oldest first, each with `refunded` (what went back so far) and `reason` (why it is to be refunded)."""
    failed = AuditEvent.objects.filter(action=CARD_REFUND_FAILED, target_type=Payment._meta.label_lower)
    ids = {int(target) for target in failed.values_list("target_id", flat=True) if target.isdigit()}
    return (
        Payment.objects.filter(pk__in=ids, status=Payment.Status.CONFIRMED)
        .annotate(refunded=Coalesce(Sum("refunds__amount"), Value(ZERO)))
        .filter(refunded__lt=F("amount"))
        .select_related("content_type")
        .order_by("confirmed_at", "pk")
    )


def card_refund_reason(payment: Payment) -> str:
    """Why the payment's money is to go back, as the failed automatic refund recorded it."""
    event = (
        AuditEvent.objects.filter(
            action=CARD_REFUND_FAILED, target_type=Payment._meta.label_lower, target_id=str(payment.pk)
        )
        .order_by("-at", "-pk")
        .first()
    )
    return str(event.data.get("reason", "")) if event else ""


@dataclass(frozen=True)
class DailyClose:
    """A day's money in against the bank statement: what matched, what the bank does not show, what
    the bank shows that no payment explains."""

    day: date
    matched: list[StatementLine]
    missing: list[Payment]  # received (PromptPay or transfer) but on no statement line
    unexpected: list[StatementLine]  # credits no payment explains
    has_statement: bool  # some statement line of that day was imported

    @property
    def unmatched_count(self) -> int:
        return len(self.missing) + len(self.unexpected)

    @property
    def all_matched(self) -> bool:
        return self.has_statement and not self.missing and not self.unexpected


def daily_close(day: date) -> DailyClose:
    """The reconciliation of one (Bangkok) day."""
    start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    end = start + timedelta(days=1)
    lines = list(
        StatementLine.objects.filter(booked_at__gte=start, booked_at__lt=end)
        .select_related("payment")
        .order_by("booked_at", "pk")
    )
    missing = list(
        Payment.objects.filter(
            status=Payment.Status.CONFIRMED,
            method__in=(Payment.Method.PROMPTPAY, Payment.Method.TRANSFER),
            confirmed_at__gte=start,
            confirmed_at__lt=end,
            statement_line__isnull=True,
        )
        .select_related("content_type")
        .order_by("confirmed_at", "pk")
    )
    return DailyClose(
        day=day,
        matched=[line for line in lines if line.payment_id],
        missing=missing,
        unexpected=[line for line in lines if not line.payment_id],
        has_statement=bool(lines),
    )
