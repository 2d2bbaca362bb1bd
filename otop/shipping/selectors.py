"""Reads of the shipping app for pages above it (checkout, tracking, back office)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from otop.catalog.models import Variant
from otop.inventory.models import StockLevel
from otop.orders.models import Order, OrderLine
from otop.shipping.errors import MissingParcelFacts
from otop.shipping.models import Shipment, TrackingEvent
from otop.shipping.rates import Quote, quotes_for_items

POSTCODE = re.compile(r"^[1-9][0-9]{4}$")


@dataclass(frozen=True)
class DeliveryChoice:
    """What a checkout shows for parcel delivery: the quotes (cheapest first) or why there are none."""

    quotes: list[Quote] = field(default_factory=list)
    problem: str = ""
    chosen: str = ""
    has_address: bool = False


def delivery_quotes(
    *, items: list[tuple[Variant, int]], postcode: str, subtotal: Decimal, chosen: str = ""
) -> DeliveryChoice:
    """Quotes for a checkout; without a postcode yet, none. The choice falls back to the cheapest."""
    if not POSTCODE.match(postcode or "") or not items:
        return DeliveryChoice()
    try:
        quotes = quotes_for_items(items=items, postcode=postcode, subtotal=subtotal)
    except MissingParcelFacts as error:
        return DeliveryChoice(problem=error.message, has_address=True)
    options = [q.option for q in quotes]
    return DeliveryChoice(
        quotes=quotes, chosen=chosen if chosen in options else (options[0] if options else ""), has_address=True
    )


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
    for line in OrderLine.objects.filter(order__status=Order.Status.PAID).select_related("order").order_by("sku"):
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
