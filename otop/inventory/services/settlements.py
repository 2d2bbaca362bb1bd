"""Settlements (การจ่ายเงินผู้ฝากขาย): what the center owes each producer for a period.

Rounding (core.money, once, at a documented point): every sold line's amount is rounded when it is
recorded (SoldItem.amount); a settlement line groups one item at one set of terms, and its commission
is rounded once from its net sales; the settlement's totals are the sums of its lines.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from otop.accounts.models import User
from otop.core.money import ZERO, line_total, to_satang
from otop.core.services import record_audit_event
from otop.inventory.errors import NothingToSettle, SettlementAlreadyPaid, SettlementExists
from otop.inventory.models import Settlement, SettlementLine, SoldItem
from otop.producers import notify
from otop.producers.models import Producer


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def start_of_day(day: date) -> datetime:
    """Midnight in Bangkok, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def unsettled_items(*, producer, period_end: date):
    """Consigned sales and returns not yet on a statement, up to the end of the period.

    Earlier unsettled items (an offline sale that synced late) are included, so nothing is left behind.
    """
    return SoldItem.objects.filter(
        producer=producer, consigned=True, settlement__isnull=True, sold_at__lt=start_of_day(period_end)
    )


def settlement_lines(items) -> list[SettlementLine]:
    """Group items by (item, terms) into unsaved statement lines, rounding each line's commission once."""
    groups: dict[tuple, list[SoldItem]] = defaultdict(list)
    for item in items:
        groups[(item.variant_id, item.commission_percent, item.producer_unit_price)].append(item)
    lines = []
    for (variant_id, percent, producer_price), members in groups.items():
        sold = [m for m in members if m.kind == SoldItem.Kind.SALE]
        back = [m for m in members if m.kind == SoldItem.Kind.RETURN]
        units_sold = sum(m.quantity for m in sold)
        units_returned = sum(m.quantity for m in back)
        gross = sum((m.amount for m in sold), ZERO)
        returns = sum((m.amount for m in back), ZERO)
        # Coupon discounts the producer bears: off what the producer is paid, before the commission.
        discounts = sum((m.producer_discount for m in sold), ZERO) - sum((m.producer_discount for m in back), ZERO)
        if producer_price is not None:
            net = line_total(producer_price, units_sold - units_returned) - discounts
            commission = gross - returns - discounts - net
        else:
            commission = to_satang((gross - returns - discounts) * percent / Decimal(100))
            net = gross - returns - discounts - commission
        variant = members[0].variant
        lines.append(
            SettlementLine(
                variant_id=variant_id,
                sku=variant.sku,
                name=str(variant)[:300],
                commission_percent=percent,
                producer_unit_price=producer_price,
                units_sold=units_sold,
                units_returned=units_returned,
                gross_sales=gross,
                returns=returns,
                producer_discounts=discounts,
                commission=commission,
                net_payable=net,
            )
        )
    lines.sort(key=lambda line: (line.name, line.sku, line.commission_percent))
    return lines


@transaction.atomic
def create_settlement(
    *, producer, period_start: date, period_end: date | None = None, actor: User | None = None
) -> Settlement:
    """Make the statement of a producer for a period (a calendar month by default). Once per period."""
    period_end = period_end or next_month(period_start)
    existing = Settlement.objects.filter(producer=producer, period_start=period_start, period_end=period_end).first()
    if existing:
        raise SettlementExists(producer.name_th, existing.number)
    items = list(
        unsettled_items(producer=producer, period_end=period_end).select_for_update().select_related("variant__product")
    )
    if not items:
        raise NothingToSettle(producer.name_th)
    lines = settlement_lines(items)
    number = f"ST-{period_start:%Y%m}-{producer.pk:05d}"
    if period_end != next_month(period_start) or period_start.day != 1:
        number = f"ST-{period_start:%Y%m%d}-{producer.pk:05d}"
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                number=number,
                producer=producer,
                period_start=period_start,
                period_end=period_end,
                units_sold=sum(line.units_sold for line in lines),
                units_returned=sum(line.units_returned for line in lines),
                gross_sales=sum((line.gross_sales for line in lines), ZERO),
                returns=sum((line.returns for line in lines), ZERO),
                commission=sum((line.commission for line in lines), ZERO),
                net_payable=sum((line.net_payable for line in lines), ZERO),
                created_by=actor,
            )
    except IntegrityError:
        raise SettlementExists(producer.name_th, number) from None
    for line in lines:
        line.settlement = settlement
    SettlementLine.objects.bulk_create(lines)
    SoldItem.objects.filter(pk__in=[item.pk for item in items]).update(settlement=settlement)
    record_audit_event(
        actor=actor,
        action="inventory.settlement_created",
        target=settlement,
        summary=f"{number} {settlement.net_payable}",
    )
    notify.producer(
        producer=producer,
        event="settlement_ready",
        context={"settlement": settlement, "number": number, "net_payable": settlement.net_payable},
    )
    return settlement


def settle_month(*, month: date, actor: User | None = None) -> list[Settlement]:
    """Make the month's statement for every producer with unsettled consigned sales; skip those already made."""

    period_start = month_start(month)
    period_end = next_month(period_start)
    producer_ids = (
        SoldItem.objects.filter(consigned=True, settlement__isnull=True, sold_at__lt=start_of_day(period_end))
        .values_list("producer_id", flat=True)
        .distinct()
    )
    made = []
    for producer in Producer.objects.filter(pk__in=list(producer_ids)).order_by("pk"):
        try:
            made.append(create_settlement(producer=producer, period_start=period_start, actor=actor))
        except (SettlementExists, NothingToSettle):
            continue
    return made


@transaction.atomic
def mark_settlement_paid(
    *, settlement: Settlement, actor: User | None, payment_reference: str = "", paid_at: datetime | None = None
) -> Settlement:
    """Record that the money was transferred. Paying twice is refused."""
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status == Settlement.Status.PAID:
        raise SettlementAlreadyPaid(settlement.number)
    settlement.status = Settlement.Status.PAID
    settlement.paid_at = paid_at or timezone.now()
    settlement.paid_by = actor
    settlement.payment_reference = payment_reference[:80]
    settlement.save(update_fields=["status", "paid_at", "paid_by", "payment_reference"])
    record_audit_event(actor=actor, action="inventory.settlement_paid", target=settlement, summary=settlement.number)
    return settlement


def record_payout_file_export(*, settlements: list[Settlement], actor: User | None) -> None:
    """The bank-transfer file holds full account and ID numbers: each download is in the audit log, once per
    settlement it lists."""
    for settlement in settlements:
        record_audit_event(
            actor=actor, action="inventory.payout_file_exported", target=settlement, summary=settlement.number
        )
