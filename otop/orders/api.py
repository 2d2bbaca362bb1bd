"""The ordering API that LINE, Facebook and other tools build on.

POST /api/v1/orders is open to anonymous callers, like the public checkout, and throttled per
client address (20 a minute; 600 a minute with an API token) so a script cannot hold all the stock.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import TokenAuth
from otop.core.i18n import localized
from otop.orders import selectors, services
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for, qr_path

router = Router(tags=["orders"])


class ItemIn(Schema):
    sku: str
    qty: int


class CustomerIn(Schema):
    name: str
    phone: str
    email: str = ""


class AddressIn(Schema):
    line1: str = ""
    line2: str = ""
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    postcode: str = ""


class DeliveryIn(Schema):
    method: Literal["pickup", "parcel"]
    address: AddressIn | None = None


class OrderIn(Schema):
    items: list[ItemIn]
    customer: CustomerIn
    delivery: DeliveryIn
    payment_method: Literal["promptpay"]


class PromptPayOut(Schema):
    payload: str
    qr_url: str


class OrderCreatedOut(Schema):
    number: str
    status: str
    total: Decimal
    promptpay: PromptPayOut | None
    expires_at: datetime | None


class LineOut(Schema):
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    line_total: Decimal


class EventOut(Schema):
    status: str
    at: datetime


class OrderOut(OrderCreatedOut):
    status_label: str
    delivery_method: str
    subtotal: Decimal
    delivery_fee: Decimal
    placed_at: datetime
    paid_at: datetime | None
    lines: list[LineOut]
    events: list[EventOut]


def _promptpay(request: HttpRequest, order: Order) -> PromptPayOut | None:
    payment = promptpay_payment_for(order)
    if payment is None or order.status != Order.Status.PENDING_PAYMENT:
        return None
    return PromptPayOut(payload=payment.payload, qr_url=request.build_absolute_uri(qr_path(payment)))


class OptionalToken(TokenAuth):
    """A bearer token raises the rate limit; without one the call is anonymous."""

    def __call__(self, request: HttpRequest):
        return super().__call__(request) or True


@router.post(
    "/orders",
    response={201: OrderCreatedOut},
    auth=[OptionalToken()],
    throttle=[AnonRateThrottle("20/m"), AuthRateThrottle("600/m")],
    summary="Place an order (PromptPay)",
)
def create_order(request: HttpRequest, payload: OrderIn):
    address = payload.delivery.address or AddressIn()
    user = acting_user(request)
    order = services.place_order(
        items=[(item.sku, item.qty) for item in payload.items],
        customer=services.CustomerDetails(**payload.customer.dict()),
        delivery_method=payload.delivery.method,
        address=services.AddressDetails(**address.dict()),
        channel=Order.Channel.API,
        user=user,
        language=(get_language() or "th")[:2],
    )
    return Status(
        201,
        OrderCreatedOut(
            number=order.number,
            status=order.status,
            total=order.total,
            promptpay=_promptpay(request, order),
            expires_at=order.expires_at,
        ),
    )


@router.get("/orders/{number}", response=OrderOut, auth=None, summary="Track an order by number and phone")
def track_order(request: HttpRequest, number: str, phone: str):
    from django.http import Http404

    services.expire_overdue_orders()
    order = selectors.order_for_tracking(number=number, phone=phone)
    if order is None:
        raise Http404
    return OrderOut(
        number=order.number,
        status=order.status,
        status_label=order.get_status_display(),
        total=order.total,
        subtotal=order.subtotal,
        delivery_fee=order.delivery_fee,
        delivery_method=order.delivery_method,
        promptpay=_promptpay(request, order),
        expires_at=order.expires_at,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        lines=[
            LineOut(
                sku=line.sku,
                name=localized(line, "name"),
                qty=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for line in order.lines.all()
        ],
        events=[EventOut(status=event.to_status, at=event.at) for event in order.events.all()],
    )
