"""The ordering API that LINE, Facebook and other tools build on.

POST /api/v1/orders is open to anonymous callers, like the public checkout, and throttled per client
(20 a minute per address; 600 a minute per bearer token) in the shared cache. A signed-in browser
session must send its CSRF token. An `Idempotency-Key` header makes a retry after a lost answer
return the first order instead of placing a second one.

Customers track an order by POSTing its number and phone number (never in a query string, which
lands in access logs), or with the signed link returned when it was placed. With that link's token, or
signed in as the account that placed it, the buyer asks for a full tax invoice after checkout.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import anyone
from otop.core import idempotency, throttle
from otop.core.apitypes import NOT_BLANK, Email, Phone, Quantity, Text, errors
from otop.core.errors import DomainError
from otop.core.i18n import localized
from otop.core.throttle import ApiThrottle, client_address
from otop.orders import coupons, selectors, services, tax_documents
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for, qr_path
from otop.tax.api import DocumentOut, document_out
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import TaxDocument

router = Router(tags=["orders"])

ORDER_NUMBER_PATTERN = r"^[A-Za-z]{4}-[0-9]{4}-[0-9]{6}$"
# A wrong phone number for the same order more often than this looks like guessing.
TRACKING_FAILURES_PER_ORDER = "10/h"


class ItemIn(Schema):
    sku: Text(40, min_length=1)
    qty: Quantity


class CustomerIn(Schema):
    name: Text(200, min_length=1, pattern=NOT_BLANK)
    phone: Phone
    email: Email = ""


class AddressIn(Schema):
    line1: Text(300) = ""
    line2: Text(300) = ""
    subdistrict: Text(100) = ""
    district: Text(100) = ""
    province: Text(100) = ""
    postcode: Text(5, pattern=r"^$|^[1-9][0-9]{4}$") = ""


class DeliveryIn(Schema):
    method: Literal["pickup", "parcel"]
    address: AddressIn | None = None
    carrier: Text(30, pattern=r"^$|^[-a-z0-9_]+$") = Field(
        "", description="A parcel's carrier from POST /shipping/quotes (empty: the cheapest quote)"
    )
    service: Text(30, pattern=r"^$|^[-a-z0-9_]+$") = Field("", description="The carrier's service from the quotes")


class TaxInvoiceIn(Schema):
    """Ask for a full tax invoice (s.86/4), issued when the order is paid. `tax_id`: 13 digits with a valid
    check digit (dashes allowed), empty for a person; `branch`: 00000 (or empty) is the head office."""

    name: Text(200, min_length=1, pattern=NOT_BLANK)
    address: Text(500, min_length=1, pattern=NOT_BLANK)
    tax_id: Text(17, pattern=r"^[0-9 -]*$") = ""
    branch: Text(5, pattern=r"^$|^[0-9]{1,5}$") = ""


class OrderIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=services.MAX_LINES)
    customer: CustomerIn
    delivery: DeliveryIn
    payment_method: Literal["promptpay", "cod"] = Field(
        description="`cod`: cash on delivery (a parcel whose carrier offers it, see `cod_fee` in POST "
        "/shipping/quotes); the fee includes the COD fee and the order is paid when the carrier remits"
    )
    coupon: Text(30) = Field(
        "",
        description=(
            "A coupon code; one that does not apply answers 409 naming `coupon`. After 10 different codes that do "
            "not apply within 15 minutes, a client's codes answer 429 (`throttled`, with Retry-After) until then."
        ),
    )
    tax_invoice: TaxInvoiceIn | None = None


class PromptPayOut(Schema):
    payload: str
    qr_url: str


class OrderCreatedOut(Schema):
    number: str
    status: str
    total: Decimal
    promptpay: PromptPayOut | None
    expires_at: datetime | None
    payment_method: str = Field(description="promptpay, or cod (cash on delivery)")
    tracking_url: str = Field(description="A signed link to the order's status, without the phone number")


class LineOut(Schema):
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    line_total: Decimal
    discount: Decimal


class EventOut(Schema):
    status: str
    at: datetime


class OrderOut(OrderCreatedOut):
    status_label: str
    delivery_method: str
    subtotal: Decimal
    discount: Decimal
    delivery_fee: Decimal
    placed_at: datetime
    paid_at: datetime | None
    lines: list[LineOut]
    events: list[EventOut]


class TrackIn(Schema):
    number: Text(20, pattern=ORDER_NUMBER_PATTERN)
    phone: Phone


def _promptpay(request: HttpRequest, order: Order) -> PromptPayOut | None:
    payment = promptpay_payment_for(order)
    if payment is None or order.status != Order.Status.PENDING_PAYMENT:
        return None
    return PromptPayOut(payload=payment.payload, qr_url=request.build_absolute_uri(qr_path(payment)))


def _tracking_url(request: HttpRequest, order: Order) -> str:
    path = reverse("api-v1:track_order_by_link", kwargs={"number": order.number})
    return request.build_absolute_uri(f"{path}?token={selectors.tracking_token(order.number)}")


def _caller(request: HttpRequest) -> str:
    """Who sends the request, for the idempotency fingerprint: a user, or an anonymous caller."""
    return f"user:{request.user.pk}" if request.user.is_authenticated else "anonymous"


@router.post(
    "/orders",
    response={201: OrderCreatedOut, **errors(409, 429)},
    auth=anyone,
    throttle=[ApiThrottle("orders.create", anonymous_rate="20/m", token_rate="600/m")],
    summary="Place an order (PromptPay)",
    description=(
        "Anonymous callers may place orders like the public checkout. Send `Idempotency-Key` (any unique "
        "string, e.g. a UUID) to make retries safe: the same key and body answer the first order again "
        "(header `Idempotent-Replayed: true`); the same key with another body answers 409."
    ),
)
def create_order(
    request: HttpRequest,
    response: HttpResponse,
    payload: OrderIn,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=255, pattern=r"^[\x21-\x7e]{1,255}$"),
    ] = None,
):
    def place() -> tuple[int, dict]:
        address = payload.delivery.address or AddressIn()
        order = services.place_order(
            items=[(item.sku, item.qty) for item in payload.items],
            customer=services.CustomerDetails(**payload.customer.dict()),
            delivery_method=payload.delivery.method,
            address=services.AddressDetails(**address.dict()),
            channel=Order.Channel.API,
            user=acting_user(request),
            language=(get_language() or "th")[:2],
            delivery_option=(
                f"{payload.delivery.carrier}:{payload.delivery.service}" if payload.delivery.carrier else ""
            ),
            coupon=payload.coupon,
            payment=payload.payment_method,
            tax_invoice=tax_documents.tax.Buyer(**payload.tax_invoice.dict()) if payload.tax_invoice else None,
        )
        created = OrderCreatedOut(
            number=order.number,
            status=order.status,
            total=order.total,
            promptpay=_promptpay(request, order),
            expires_at=order.expires_at,
            payment_method=_payment_method(order),
            tracking_url=_tracking_url(request, order),
        )
        return 201, created.model_dump(mode="json")

    def guarded() -> tuple[int, dict]:
        with coupons.client_tries(client_address(request), payload.coupon):
            return place()

    if idempotency_key is None:
        status, body = guarded()
        return Status(status, body)
    outcome = idempotency.run_once(
        scope="orders.create",
        key=idempotency_key,
        request_hash=idempotency.fingerprint(_caller(request), payload.dict()),
        work=guarded,
    )
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(outcome.status, outcome.body)


def _payment_method(order: Order) -> str:
    return Order.Payment.CASH_ON_DELIVERY if order.cash_on_delivery else Order.Payment.PROMPTPAY


def _order_out(request: HttpRequest, order: Order) -> OrderOut:
    return OrderOut(
        number=order.number,
        status=order.status,
        status_label=order.get_status_display(),
        total=order.total,
        subtotal=order.subtotal,
        discount=order.discount,
        delivery_fee=order.delivery_fee,
        delivery_method=order.delivery_method,
        promptpay=_promptpay(request, order),
        expires_at=order.expires_at,
        payment_method=_payment_method(order),
        tracking_url=_tracking_url(request, order),
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        lines=[
            LineOut(
                sku=line.sku,
                name=localized(line, "name"),
                qty=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
                discount=line.discount,
            )
            for line in order.lines.all()
        ],
        events=[EventOut(status=event.to_status, at=event.at) for event in order.events.all()],
    )


class TrackingRefused(DomainError):
    code = "throttled"
    status = 429


@router.post(
    "/orders/track",
    response={200: OrderOut, **errors(404, 429)},
    auth=None,
    throttle=[ApiThrottle("orders.track", anonymous_rate="20/m")],
    summary="Track an order by its number and the customer's phone number",
)
def track_order(request: HttpRequest, payload: TrackIn):
    number = payload.number.upper()
    if throttle.peek("orders.track.failures", number, TRACKING_FAILURES_PER_ORDER) >= 10:
        raise TrackingRefused(_("Too many tries for this order. Please wait an hour or contact the center."))
    services.expire_overdue_orders()
    order = selectors.order_for_tracking(number=number, phone=payload.phone)
    if order is None:
        throttle.hit("orders.track.failures", number, TRACKING_FAILURES_PER_ORDER)
        raise Http404
    return _order_out(request, order)


@router.get(
    "/orders/{number}",
    response={200: OrderOut, **errors(404, 429)},
    auth=None,
    throttle=[ApiThrottle("orders.track", anonymous_rate="20/m")],
    url_name="track_order_by_link",
    summary="An order by its signed tracking link (the tracking_url returned when it was placed)",
)
def track_order_by_link(
    request: HttpRequest,
    number: Annotated[str, Field(max_length=20, pattern=ORDER_NUMBER_PATTERN)],
    token: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
) -> HttpResponse | OrderOut:
    services.expire_overdue_orders()
    order = selectors.order_for_tracking_token(number=number, token=token)
    if order is None:
        raise Http404
    return _order_out(request, order)


class TaxInvoiceRequestOut(Schema):
    status: Literal["issued", "requested"] = Field(
        description="`issued`: the full tax invoice is `document`; `requested`: the order is not paid yet and "
        "the invoice is issued with these details when it is"
    )
    message: str = Field(description="What happened, in the request's language")
    document: DocumentOut | None = None
    pdf_url: str | None = Field(None, description="The invoice as a Thai PDF (add ?lang=en for the English copy)")


def _order_of_buyer(request: HttpRequest, number: str, token: str | None) -> Order:
    """The order reached by its signed tracking token, or by the signed-in account that placed it; else 404."""
    if token:
        order = selectors.order_for_tracking_token(number=number, token=token)
    else:
        user = acting_user(request)
        order = selectors.order_by_number(number=number) if user is not None else None
        if order is not None and order.user_id != user.pk:
            order = None
    if order is None:
        raise Http404
    return order


BUYER_FIELDS = {"buyer_name": "name", "buyer_address": "address", "buyer_tax_id": "tax_id", "buyer_branch": "branch"}


@router.post(
    "/orders/{number}/tax-invoice",
    response={
        200: TaxInvoiceRequestOut,
        201: TaxInvoiceRequestOut,
        202: TaxInvoiceRequestOut,
        **errors(403, 404, 409, 429),
    },
    auth=anyone,
    throttle=[ApiThrottle("orders.tax_invoice", anonymous_rate="10/m", token_rate="120/m")],
    summary="Ask for a full tax invoice after checkout",
    description=(
        "The buyer of an order asks for a full tax invoice (s.86/4) after checkout, as on the order page: "
        "with `token` from the order's `tracking_url`, or signed in as the account that placed the order "
        "(anything else answers 404). An unpaid order keeps the request and gets the invoice when paid (202). "
        "A paid order gets it now (201), within the calendar month it was paid in; its abbreviated tax "
        "invoice is cancelled, kept and referred to. Asking again answers the invoice already issued (200). "
        "A refusal (details not valid, a later month, a cancelled or refunded order, a credited invoice) "
        "answers 409 `invalid_tax_document` with the reason and changes nothing."
    ),
)
def ask_for_tax_invoice(
    request: HttpRequest,
    number: Annotated[str, Field(max_length=20, pattern=ORDER_NUMBER_PATTERN)],
    payload: TaxInvoiceIn,
    token: Annotated[str | None, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")] = None,
):
    order = _order_of_buyer(request, number, token)
    already = selectors.full_tax_invoice_of(order)
    buyer = tax_documents.tax.Buyer(**payload.dict())
    try:
        invoice = services.ask_for_full_tax_invoice(order=order, buyer=buyer, actor=acting_user(request))
    except InvalidTaxDocument as error:
        fields = {BUYER_FIELDS.get(name, name): problems for name, problems in error.fields.items()}
        raise InvalidTaxDocument(error.message, fields=fields) from None
    if invoice is None:
        message = _("Thank you: the full tax invoice will be issued when the order is paid.")
        return Status(202, TaxInvoiceRequestOut(status="requested", message=message))
    message = _("Your full tax invoice %(code)s is ready.") % {"code": invoice.code}
    out = TaxInvoiceRequestOut(
        status="issued", message=message, document=document_out(invoice), pdf_url=_pdf_url(request, order, invoice)
    )
    return Status(200 if already is not None else 201, out)


def _pdf_url(request: HttpRequest, order: Order, document: TaxDocument) -> str:
    path = reverse(
        "storefront:tracked-order-tax-document",
        kwargs={
            "number": order.number,
            "token": selectors.tracking_token(order.number),
            "public_id": document.public_id,
        },
    )
    return request.build_absolute_uri(path)
