"""Tax documents of orders (web, LINE, API): an abbreviated tax invoice when an order is paid, or the full
tax invoice the buyer asked for at checkout; a full one later from the order page within the month it was
paid in; a credit note when it is refunded. The numbering and the VAT arithmetic are the tax app's."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.money import ZERO
from otop.orders.models import Order
from otop.tax import selectors as tax_selectors
from otop.tax import services as tax
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import DocumentKind, TaxDocument

ORDER_SOURCE = "orders.order"
PAID_STATES = {
    Order.Status.PAID,
    Order.Status.PACKED,
    Order.Status.SHIPPED,
    Order.Status.READY_FOR_PICKUP,
    Order.Status.COMPLETED,
}


def _lines(order: Order) -> list[tax.SoldLine]:
    """What the buyer paid for: each line net of its share of a coupon's discount, then the delivery."""
    lines = [
        tax.SoldLine(
            name=line.name_th,
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=line.line_total - line.discount,
            product_id=line.variant.product_id if line.variant_id else None,
        )
        for line in order.lines.select_related("variant")
    ]
    if order.delivery_fee:
        lines.append(
            tax.SoldLine(name=_("Parcel delivery"), quantity=1, unit_price=order.delivery_fee, total=order.delivery_fee)
        )
    return lines


def invoice_of(order: Order) -> TaxDocument | None:
    """The order's live invoice: the full one if it has one, else the abbreviated one."""
    return tax_selectors.live_invoice_of(
        source_type=ORDER_SOURCE, source_id=order.pk, kind=DocumentKind.FULL
    ) or tax_selectors.live_invoice_of(source_type=ORDER_SOURCE, source_id=order.pk, kind=DocumentKind.ABBREVIATED)


def documents_of(order: Order):
    return tax_selectors.documents_of(source_type=ORDER_SOURCE, source_id=order.pk)


def request_at_checkout(*, order: Order, buyer: tax.Buyer, now: datetime | None = None) -> None:
    """Keep the buyer's details (already checked) for the full tax invoice issued when the order is paid."""
    tax.request_full_invoice(source_type=ORDER_SOURCE, source_id=order.pk, buyer=buyer, now=now)


def issue_for_paid_order(*, order: Order, actor: User | None, now: datetime) -> TaxDocument:
    """The order was paid: a full tax invoice if one was asked for, else an abbreviated one of its channel."""
    buyer = tax.requested_buyer(source_type=ORDER_SOURCE, source_id=order.pk)
    return tax.issue_document(
        kind=DocumentKind.FULL if buyer else DocumentKind.ABBREVIATED,
        source_type=ORDER_SOURCE,
        source_id=order.pk,
        source_code=order.number,
        register_code=order.channel,
        lines=_lines(order),
        buyer=buyer,
        actor=actor,
        now=now,
    )


@transaction.atomic
def request_full_invoice(
    *, order: Order, buyer: tax.Buyer, actor: User | None, now: datetime | None = None
) -> TaxDocument | None:
    """The buyer asks for a full tax invoice after checkout (from the order page).

    Unpaid: kept until payment. Paid: issued now if still within the month of payment (the abbreviated
    invoice is cancelled, kept and marked). Returns the full invoice, or None while the order is unpaid.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = tax_selectors.live_invoice_of(source_type=ORDER_SOURCE, source_id=order.pk)
    if existing is not None:
        return existing
    if order.status == Order.Status.PENDING_PAYMENT or (order.cash_on_delivery and order.paid_at is None):
        # Not paid yet (cash on delivery is paid after it ships): the invoice is issued when it is.
        request_at_checkout(order=order, buyer=buyer, now=now)
        return None
    if order.status not in PAID_STATES:
        raise InvalidTaxDocument(_("A cancelled or refunded order gets no tax invoice."))
    paid = timezone.localtime(order.paid_at or order.placed_at)
    today = timezone.localtime(now)
    if (paid.year, paid.month) != (today.year, today.month):
        raise InvalidTaxDocument(_("A full tax invoice can be asked for within the month the order was paid in."))
    tax.request_full_invoice(source_type=ORDER_SOURCE, source_id=order.pk, buyer=buyer, now=now)
    tax.cancel_documents_of(
        source_type=ORDER_SOURCE,
        source_id=order.pk,
        reason=_("Replaced by a full tax invoice"),
        actor=actor,
    )
    return issue_for_paid_order(order=order, actor=actor, now=now)


def credit_refund(
    *, order: Order, actor: User | None, reason: str, amount: Decimal | None = None, now: datetime
) -> TaxDocument | None:
    """A refund (all of what is left, or `amount` of it) issues a credit note against the order's invoice."""
    invoice = invoice_of(order)
    if invoice is None:
        return None
    left = invoice.total - tax.credited_total(invoice)
    amount = left if amount is None else amount
    if left <= ZERO or amount <= ZERO:
        return None
    return tax.issue_credit_note(
        invoice=invoice,
        lines=[
            tax.SoldLine(
                name=_("Refund of order %(number)s") % {"number": order.number},
                quantity=1,
                unit_price=amount,
                total=amount,
                vat_exempt=invoice.exempt_total == invoice.total,
            )
        ],
        reason=reason or _("Refund"),
        actor=actor,
        now=now,
    )


def buyer_errors(buyer: tax.Buyer) -> dict[str, list[str]]:
    """The checkout's field errors for a full tax invoice request ("tax_invoice.name", ...), or none."""
    try:
        buyer.cleaned()
    except InvalidTaxDocument as error:
        return {f"tax_invoice.{name.removeprefix('buyer_')}": problems for name, problems in error.fields.items()}
    return {}
