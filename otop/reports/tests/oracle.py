"""Independent sums over the raw lines (SQL through the ORM), to check the rollup and the reports against.

Nothing here reads the reports' tables or code: the till's sales, partial refunds (what was paid back, the
credit note's VAT) and voids (what partial refunds left of the sale), paid and refunded orders and booking
payments are summed where they were written.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncDate

from otop.core.money import vat_included_in
from otop.orders.models import OrderEvent, OrderLine
from otop.payments.models import PaymentEvent
from otop.pos.models import Sale, SaleLine, SaleReturn, SaleReturnLine, SaleVoid
from otop.workspace.models import Booking

BANGKOK = ZoneInfo("Asia/Bangkok")


def net_by_day_and_channel() -> dict[tuple[date, str], Decimal]:
    """Net sales (VAT included, after every discount, returns taken off) per business day and channel."""
    totals: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    for row in (
        Sale.objects.annotate(day=TruncDate("sold_at", tzinfo=BANGKOK))
        .values("day", "register__location_code")
        .annotate(net=Sum("total"))
    ):
        totals[(row["day"], "tea" if row["register__location_code"] == "tea" else "counter")] += row["net"]
    for row in (
        SaleVoid.objects.annotate(day=TruncDate("done_at", tzinfo=BANGKOK))
        .values("day", "sale__register__location_code")
        .annotate(net=Sum("sale__total"))
    ):
        totals[(row["day"], "tea" if row["sale__register__location_code"] == "tea" else "counter")] -= row["net"]
    # A partial refund takes off what was paid back on its day; a later void took back only the rest.
    for returns, day, sign in (
        (SaleReturn.objects.all(), "done_at", -1),
        (SaleReturn.objects.filter(sale__void__isnull=False), "sale__void__done_at", 1),
    ):
        for row in (
            returns.annotate(day=TruncDate(day, tzinfo=BANGKOK))
            .values("day", "sale__register__location_code")
            .annotate(net=Sum("amount"))
        ):
            channel = "tea" if row["sale__register__location_code"] == "tea" else "counter"
            totals[(row["day"], channel)] += sign * row["net"]
    for status, sign in (("paid", 1), ("refunded", -1)):
        events = OrderEvent.objects.filter(to_status=status).annotate(day=TruncDate("at", tzinfo=BANGKOK))
        for row in events.values("day", "order__channel").annotate(net=Sum("order__lines__line_total")):
            totals[(row["day"], row["order__channel"])] += sign * row["net"]
    booking_type = ContentType.objects.get_for_model(Booking)
    for row in (
        PaymentEvent.objects.filter(to_status="confirmed", payment__content_type=booking_type)
        .annotate(day=TruncDate("at", tzinfo=BANGKOK))
        .values("day")
        .annotate(net=Sum("payment__amount"))
    ):
        totals[(row["day"], "room")] += row["net"]
    return {key: value for key, value in totals.items() if value}


def vat_total() -> Decimal:
    """The VAT in every till sale (as printed) and order (VAT in its goods) minus the returned ones: a void gives
    back the sale's VAT, partial refunds before it included; a partial refund of a sale not voided its credit
    note's."""
    till = (Sale.objects.aggregate(v=Sum("vat"))["v"] or 0) - (SaleVoid.objects.aggregate(v=Sum("sale__vat"))["v"] or 0)
    till -= SaleReturn.objects.filter(sale__void__isnull=True).aggregate(v=Sum("credit_note__vat"))["v"] or 0
    orders = Decimal(0)
    for status, sign in (("paid", 1), ("refunded", -1)):
        events = OrderEvent.objects.filter(to_status=status).values("order_id")
        for row in events.annotate(net=Sum("order__lines__line_total")):
            orders += sign * vat_included_in(row["net"])
    booking_type = ContentType.objects.get_for_model(Booking)
    rooms = Decimal(0)
    for event in PaymentEvent.objects.filter(to_status="confirmed", payment__content_type=booking_type).select_related(
        "payment"
    ):
        rooms += vat_included_in(event.payment.amount)
    return till + orders + rooms


def goods_gross_by(field: str) -> dict:
    """Shelf value (unit price × quantity, before discounts) of goods that are not gift baskets, net of returns,
    per a field of the product (e.g. "product__producer__district_id", "product__category_id")."""
    money = DecimalField(max_digits=16, decimal_places=2)
    value = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=money)
    totals: dict = defaultdict(Decimal)
    for sign, lines in (
        (1, SaleLine.objects.filter(variant__isnull=False)),
        (-1, SaleLine.objects.filter(variant__isnull=False, sale__void__isnull=False)),
    ):
        for row in lines.filter(variant__product__is_basket=False).values(f"variant__{field}").annotate(v=Sum(value)):
            totals[row[f"variant__{field}"]] += sign * row["v"]
    # Units partial refunds brought back, unless a void took the whole sale back.
    returned = ExpressionWrapper(F("sale_line__unit_price") * F("quantity"), output_field=money)
    lines = SaleReturnLine.objects.filter(
        sale_line__variant__isnull=False,
        sale_line__variant__product__is_basket=False,
        sale_return__sale__void__isnull=True,
    )
    for row in lines.values(f"sale_line__variant__{field}").annotate(v=Sum(returned)):
        totals[row[f"sale_line__variant__{field}"]] -= row["v"]
    for status, sign in (("paid", 1), ("refunded", -1)):
        order_ids = OrderEvent.objects.filter(to_status=status).values("order_id")
        lines = OrderLine.objects.filter(order_id__in=order_ids, variant__product__is_basket=False)
        for row in lines.values(f"variant__{field}").annotate(v=Sum("line_total")):
            totals[row[f"variant__{field}"]] += sign * row["v"]
    return {key: value for key, value in totals.items() if value}
