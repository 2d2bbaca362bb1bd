"""Reads of orders."""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.crypto import constant_time_compare

from otop.accounts.models import User
from otop.core.validators import normalize_thai_phone, thai_phone_is_valid
from otop.orders import tax_documents
from otop.orders.models import CartLine, Order, OrderEvent
from otop.tax.models import DocumentKind, TaxDocument

TRACKING_SALT = "otop.orders.tracking"

# Orders staff pick and pack: paid ones, and cash-on-delivery ones (paid later, their stock held meanwhile).
TO_FULFIL = Q(status=Order.Status.PAID, cash_on_delivery=False) | Q(
    status=Order.Status.PENDING_PAYMENT, cash_on_delivery=True
)


def awaits_fulfilment(order: Order) -> bool:
    """Staff may pick and pack this order now."""
    wanted = Order.Status.PENDING_PAYMENT if order.cash_on_delivery else Order.Status.PAID
    return order.status == wanted


def tax_documents_of(order: Order) -> list[TaxDocument]:
    """The order's tax documents in the order they were issued (cancelled ones too, marked)."""
    return list(tax_documents.documents_of(order))


def full_tax_invoice_of(order: Order) -> TaxDocument | None:
    """The order's live full tax invoice, if it has one."""
    invoice = tax_documents.invoice_of(order)
    return invoice if invoice is not None and invoice.kind == DocumentKind.FULL else None


def tax_document_of(order: Order, *, public_id) -> TaxDocument | None:
    """One of the order's tax documents by its stable id (None if it is another order's or none)."""
    return next((document for document in tax_documents_of(order) if str(document.public_id) == str(public_id)), None)


def full_invoice_chance(order: Order, *, now: datetime | None = None) -> tax_documents.FullInvoiceChance:
    return tax_documents.full_invoice_chance(order, now=now)


def _with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("province", "district", "subdistrict").prefetch_related(
        "lines", Prefetch("events", queryset=OrderEvent.objects.select_related("actor"))
    )


def order_by_number(*, number: str) -> Order | None:
    return _with_details(Order.objects.filter(number=number.strip().upper())).first()


def order_for_tracking(*, number: str, phone: str) -> Order | None:
    """The order with this number, only when the phone number given (in any spelling) is the customer's."""
    if not number or not thai_phone_is_valid(phone):
        return None
    return _with_details(
        Order.objects.filter(number=number.strip().upper()[:20], phone=normalize_thai_phone(phone))
    ).first()


def tracking_token(number: str) -> str:
    """The signature that makes a tracking link for one order (no phone number in the address)."""
    return signing.Signer(salt=TRACKING_SALT).signature(number)


def order_for_tracking_token(*, number: str, token: str) -> Order | None:
    """The order a signed tracking link points at, or None when the signature does not match."""
    number = number.strip().upper()[:20]
    if not number or not constant_time_compare(tracking_token(number), token):
        return None
    return _with_details(Order.objects.filter(number=number)).first()


def orders_for_staff(*, status: str = "") -> QuerySet[Order]:
    queryset = Order.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-placed_at")


# The steps where a web order waits for the staff, in the order it passes them (the back-office home).
WAITING_STATUSES = (Order.Status.PENDING_PAYMENT, Order.Status.PAID, Order.Status.PACKED)


def orders_waiting() -> dict[str, int]:
    """How many orders are at each of WAITING_STATUSES (one query), as the staff's list filtered by status shows."""
    counts = Order.objects.filter(status__in=WAITING_STATUSES).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in WAITING_STATUSES}
    )
    return {status: counts[status] or 0 for status in WAITING_STATUSES}


def orders_of_user(*, user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).order_by("-placed_at")


def cart_quantities(*, user: User) -> dict[int, int]:
    """variant id → quantity of the account's cart."""
    return dict(CartLine.objects.filter(user=user).values_list("variant_id", "quantity"))
