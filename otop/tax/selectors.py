"""Reads of tax documents: by source, by stable id, by month, by buyer's tax ID."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from otop.core.encryption import lookup_digests
from otop.tax.models import DocumentKind, TaxDocument


def documents_of(*, source_type: str, source_id: str | int) -> QuerySet[TaxDocument]:
    return (
        TaxDocument.objects.filter(source_type=source_type, source_id=str(source_id))
        .select_related("refers_to", "replaces")
        .order_by("issued_at", "id")
    )


def live_invoice_of(*, source_type: str, source_id: str | int, kind: str = DocumentKind.FULL) -> TaxDocument | None:
    return (
        documents_of(source_type=source_type, source_id=source_id)
        .filter(kind=kind, status=TaxDocument.Status.ISSUED)
        .first()
    )


def document_by_public_id(public_id) -> TaxDocument | None:
    return (
        TaxDocument.objects.select_related("refers_to", "replaces")
        .prefetch_related("lines__credits_line")
        .filter(public_id=public_id)
        .first()
    )


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month as aware datetimes in the center's time zone, [start, end)."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time()), zone),
            timezone.make_aware(datetime.combine(end, time()), zone))  # fmt: skip


def documents_of_month(year: int, month: int) -> QuerySet[TaxDocument]:
    """Every document issued in a month (cancelled ones too: the report lists them with zero value)."""
    start, end = month_bounds(year, month)
    return (
        TaxDocument.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .select_related("refers_to", "replaces")
        .order_by("issued_at", "code")
    )


def documents_of_buyer(tax_id: str) -> QuerySet[TaxDocument]:
    """Documents made out to a buyer's tax ID (typed with or without dashes), newest first: found by the keyed
    hash stored beside the encrypted number, under any configured key."""
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    return (
        TaxDocument.objects.filter(buyer_tax_id_digest__in=lookup_digests(digits))
        .select_related("refers_to", "replaces")
        .order_by("-issued_at", "-id")
    )
