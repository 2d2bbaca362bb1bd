"""Reads of the shipping app for pages above it (checkout, tracking, back office)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from otop.catalog.models import Variant
from otop.inventory.models import StockLevel
from otop.orders.models import Order, OrderLine
from otop.orders.selectors import TO_FULFIL
from otop.shipping.errors import MissingParcelFacts
from otop.shipping.models import CodRemittance, CodRemittanceLine, Shipment, TrackingEvent
from otop.shipping.rates import Quote, quotes_for_items

POSTCODE = re.compile(r"^[1-9][0-9]{4}$")


@dataclass(frozen=True)
class DeliveryChoice:
    """What a checkout shows for parcel delivery: the quotes (cheapest first) or why there are none."""

    quotes: list[Quote] = field(default_factory=list)
    problem: str = ""
    chosen: str = ""
    has_address: bool = False
    cash_on_delivery: bool = False

    @property
    def chosen_quote(self) -> Quote | None:
        return next((quote for quote in self.quotes if quote.option == self.chosen), None)

    @property
    def offers_cod(self) -> bool:
        """The chosen carrier collects cash on delivery."""
        quote = self.chosen_quote
        return quote is not None and quote.cod_fee is not None

    @property
    def fee(self) -> Decimal | None:
        """What the customer pays for the parcel: the chosen quote, plus its COD fee when paying on delivery."""
        quote = self.chosen_quote
        if quote is None:
            return None
        return quote.fee + (quote.cod_fee if self.cash_on_delivery and quote.cod_fee is not None else Decimal("0.00"))


def delivery_quotes(
    *, items: list[tuple[Variant, int]], postcode: str, subtotal: Decimal, chosen: str = "", payment: str = ""
) -> DeliveryChoice:
    """Quotes for a checkout; without a postcode yet, none. The choice falls back to the cheapest.

    `payment` "cod" keeps cash on delivery chosen while the chosen carrier offers it."""
    if not POSTCODE.match(postcode or "") or not items:
        return DeliveryChoice()
    try:
        quotes = quotes_for_items(items=items, postcode=postcode, subtotal=subtotal)
    except MissingParcelFacts as error:
        return DeliveryChoice(problem=error.message, has_address=True)
    options = [q.option for q in quotes]
    choice = DeliveryChoice(
        quotes=quotes, chosen=chosen if chosen in options else (options[0] if options else ""), has_address=True
    )
    if payment == Order.Payment.CASH_ON_DELIVERY and choice.offers_cod:
        choice = replace(choice, cash_on_delivery=True)
    return choice


@dataclass(frozen=True)
class PickLine:
    location: str
    sku: str
    name: str
    quantity: int
    orders: list[str]


def pick_list() -> list[PickLine]:
    """What to take from the shelves for the paid orders not yet packed: units per SKU, by the stock location
    that holds the item (the online-order shelf first, as reservations take from it), then by SKU."""
    lines: dict[str, PickLine] = {}
    for line in (
        OrderLine.objects.filter(order__in=Order.objects.filter(TO_FULFIL)).select_related("order").order_by("sku")
    ):
        entry = lines.setdefault(line.sku, PickLine("", line.sku, line.name_th, 0, []))
        lines[line.sku] = PickLine(
            "", line.sku, line.name_th, entry.quantity + line.quantity, [*entry.orders, line.order.number]
        )
    where: dict[str, str] = {}
    levels = (
        StockLevel.objects.filter(variant__sku__in=list(lines), on_hand__gt=0)
        .select_related("location", "variant")
        .order_by("location__reserve_priority", "location__code")
    )
    for level in levels:
        where.setdefault(level.variant.sku, level.location.name_th)
    picked = [
        PickLine(where.get(sku, "—"), sku, entry.name, entry.quantity, entry.orders) for sku, entry in lines.items()
    ]
    return sorted(picked, key=lambda line: (line.location, line.sku))


def shipment_of(order) -> Shipment | None:
    return Shipment.objects.filter(order=order).select_related("service__carrier").first()


def timeline(shipment: Shipment) -> list[TrackingEvent]:
    return list(shipment.events.order_by("at", "id"))


def held_remittance_lines() -> list[CodRemittanceLine]:
    """COD remittance lines waiting for staff, oldest first, with their file and order."""
    return list(
        CodRemittanceLine.objects.filter(outcome=CodRemittanceLine.Outcome.HELD)
        .select_related("remittance__carrier", "shipment__order")
        .order_by("remittance__imported_at", "row")[:500]
    )


def recent_remittances() -> list[CodRemittance]:
    return list(CodRemittance.objects.select_related("carrier", "imported_by")[:20])


def remittance_counts(remittance: CodRemittance) -> dict[str, int]:
    counts = {outcome: 0 for outcome in CodRemittanceLine.Outcome.values}
    for outcome in remittance.lines.values_list("outcome", flat=True):
        counts[outcome] += 1
    return counts
