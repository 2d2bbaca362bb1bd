"""Delivery quotes for integrations: POST /api/v1/shipping/quotes with the cart and the address.

Fees come from the carriers' data (and Flash's API); a carrier that fails or is slow is left out.
An order placed through POST /api/v1/orders with `delivery.carrier`/`delivery.service` is charged the
fee worked out again at that moment, never a fee sent by the client.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from otop.accounts.api_auth import anyone
from otop.catalog.selectors import sellable_variants
from otop.core.apitypes import Quantity, Text, errors
from otop.core.errors import DomainError
from otop.core.money import ZERO, line_total, to_satang
from otop.core.throttle import ApiThrottle
from otop.shipping.rates import quotes_for_items

router = Router(tags=["shipping"])

MAX_LINES = 50


class QuoteItemIn(Schema):
    sku: Text(40, min_length=1)
    qty: Quantity


class QuoteAddressIn(Schema):
    postcode: Text(5, pattern=r"^[1-9][0-9]{4}$")
    province: Text(100) = ""
    district: Text(100) = ""
    subdistrict: Text(100) = ""


class QuotesIn(Schema):
    items: list[QuoteItemIn] = Field(min_length=1, max_length=MAX_LINES)
    address: QuoteAddressIn


class QuoteOut(Schema):
    carrier: str
    service: str
    name: str
    fee: Decimal
    cod_fee: Decimal | None = Field(description="The extra fee for cash on delivery; null when not offered")
    days: str = Field(description="Expected days in transit, e.g. 1-3")
    days_min: int
    days_max: int
    ships_on: date = Field(
        description="The day the parcel leaves the center if ordered now: after the carrier's cut-off time, on a day "
        "it does not pick up, or on a pickup holiday, it is the next pickup day"
    )


class UnknownItems(DomainError):
    code = "invalid"


@router.post(
    "/shipping/quotes",
    response={200: list[QuoteOut], **errors(409, 429)},
    auth=anyone,
    throttle=[ApiThrottle("shipping.quotes", anonymous_rate="60/m", token_rate="600/m")],
    summary="Delivery quotes for a cart to an address, cheapest first",
)
def quotes(request: HttpRequest, payload: QuotesIn):
    wanted: dict[str, int] = {}
    for item in payload.items:
        wanted[item.sku] = wanted.get(item.sku, 0) + item.qty
    variants = {v.sku: v for v in sellable_variants().filter(sku__in=list(wanted)).select_related("product")}
    unknown = {
        f"items.{index}.sku": [_("No product on sale has the SKU %(sku)s.") % {"sku": item.sku}]
        for index, item in enumerate(payload.items)
        if item.sku not in variants
    }
    if unknown:
        raise UnknownItems(_("Some items are not on sale."), fields=unknown)
    items = [(variants[sku], quantity) for sku, quantity in wanted.items()]
    subtotal = to_satang(sum((line_total(v.price, q) for v, q in items), ZERO))
    found = quotes_for_items(items=items, postcode=payload.address.postcode, subtotal=subtotal)
    return [
        QuoteOut(
            carrier=q.carrier,
            service=q.service,
            name=q.name,
            fee=q.fee,
            cod_fee=q.cod_fee,
            days=f"{q.days_min}-{q.days_max}",
            days_min=q.days_min,
            days_max=q.days_max,
            ships_on=q.ships_on,
        )
        for q in found
    ]
