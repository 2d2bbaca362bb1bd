"""Reads of the shipping app for pages above it (checkout, tracking, back office)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from otop.catalog.models import Variant
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


def shipment_of(order) -> Shipment | None:
    return Shipment.objects.filter(order=order).select_related("service__carrier").first()


def timeline(shipment: Shipment) -> list[TrackingEvent]:
    return list(shipment.events.order_by("at", "id"))
