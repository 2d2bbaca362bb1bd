"""Payments for the center's staff and integrations: money in from web orders, the till and room bookings.

A payment's `status`: `pending` (a PromptPay request waiting for the transfer), `confirmed` (the money
was received) or `cancelled` (the request lapsed with its order). `paid_for` names what it pays:
`orders.order`, `pos.sale` or `workspace.booking` and that row's id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from otop.accounts.api_auth import require_permission, signed_in
from otop.payments import selectors
from otop.payments.models import Payment

router = Router(tags=["payments"], auth=signed_in)

VIEW = "payments.view_payment"


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class PaidForOut(Schema):
    kind: str = Field(description="`orders.order`, `pos.sale` or `workspace.booking`")
    id: int


class PaymentEventOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    note: str


class PaymentOut(Schema):
    id: int
    paid_for: PaidForOut
    method: Literal["cash", "promptpay", "card", "transfer"]
    status: Literal["pending", "confirmed", "cancelled"]
    amount: Decimal
    tendered: Decimal | None
    reference: str = Field(description="Our reference the payer's bank reports back (Ref1); may be empty")
    provider: str = Field(description="Empty when staff recorded the payment by hand")
    provider_transaction_id: str
    created_at: datetime
    confirmed_at: datetime | None


class PaymentDetailOut(PaymentOut):
    events: list[PaymentEventOut]


class PaymentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PaymentOut]


class PaymentFilters(Schema):
    status: Literal["", "pending", "confirmed", "cancelled"] = ""
    method: Literal["", "cash", "promptpay", "card", "transfer"] = ""
    kind: Literal["", "orders.order", "pos.sale", "workspace.booking"] = ""
    limit: int = 50
    offset: int = 0


def _out(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "paid_for": {"kind": f"{payment.content_type.app_label}.{payment.content_type.model}", "id": payment.object_id},
        "method": payment.method,
        "status": payment.status,
        "amount": payment.amount,
        "tendered": payment.tendered,
        "reference": payment.reference,
        "provider": payment.provider,
        "provider_transaction_id": payment.provider_transaction_id,
        "created_at": payment.created_at,
        "confirmed_at": payment.confirmed_at,
    }


ERRORS = {401: ErrorOut, 403: ErrorOut}


@router.get(
    "/payments",
    response={200: PaymentPage, **ERRORS},
    summary="Payments, newest first (staff)",
    description="401 without sign-in; 403 without the permission to see payments.",
)
def list_payments(request: HttpRequest, filters: Query[PaymentFilters]):
    require_permission(request, VIEW)
    limit = max(1, min(filters.limit, 200))
    offset = max(0, filters.offset)
    payments = selectors.payments_for_staff(status=filters.status, method=filters.method, kind=filters.kind)
    page = list(payments[offset : offset + limit])
    return {"count": payments.count(), "limit": limit, "offset": offset, "items": [_out(p) for p in page]}


@router.get(
    "/payments/{payment_id}",
    response={200: PaymentDetailOut, 404: ErrorOut, **ERRORS},
    summary="One payment with its history (staff)",
    description="401 without sign-in; 403 without the permission to see payments; 404 for an unknown id.",
)
def get_payment(request: HttpRequest, payment_id: int):
    require_permission(request, VIEW)
    payment = selectors.payments_for_staff().filter(pk=payment_id).prefetch_related("events").first()
    if payment is None:
        raise Http404
    events = [
        {"from_status": e.from_status, "to_status": e.to_status, "at": e.at, "note": e.note}
        for e in payment.events.all()
    ]
    return {**_out(payment), "events": events}
