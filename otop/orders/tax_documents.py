"""Tax documents of orders (web, LINE, API): an abbreviated tax invoice when an order is paid, or the full
tax invoice the buyer asked for at checkout; a full one later from the order page within the month it was
paid in; a credit note when it is refunded. The numbering and the VAT arithmetic are the tax app's."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class FullInvoiceChance:
    """Whether the buyer may still ask for a full tax invoice, and if not, why (shown on the order page)."""

    allowed: bool
    reason: str = ""


def full_invoice_chance(order: Order, *, now: datetime | None = None) -> FullInvoiceChance:
    """Answer whether the order page offers "ask for a full tax invoice": while unpaid, or within the
    calendar month of payment (Bangkok), and not for a cancelled or refunded order or one that has it."""
    if tax_selectors.live_invoice_of(source_type=ORDER_SOURCE, source_id=order.pk) is not None:
        return FullInvoiceChance(False)
    if order.status == Order.Status.PENDING_PAYMENT:
        return FullInvoiceChance(True)
    if order.status not in PAID_STATES:
        return FullInvoiceChance(False, _("A cancelled or refunded order gets no tax invoice."))
    if not _within_month_of_payment(order, now or timezone.now()):
        return FullInvoiceChance(False, _too_late())
    return FullInvoiceChance(True)


def _too_late() -> str:
    return _(
        "A full tax invoice can be asked for only within the month the order was paid in; "
        "that month has ended. The abbreviated tax invoice stays valid."
    )


def _within_month_of_payment(order: Order, now: datetime) -> bool:
    paid = timezone.localtime(order.paid_at or order.placed_at)
    today = timezone.localtime(now)
    return (paid.year, paid.month) == (today.year, today.month)


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
    if not _within_month_of_payment(order, now):
        raise InvalidTaxDocument(_too_late())
    tax.request_full_invoice(source_type=ORDER_SOURCE, source_id=order.pk, buyer=buyer, now=now)
    return tax.replace_with_full_invoice(
        source_type=ORDER_SOURCE,
        source_id=order.pk,
        source_code=order.number,
        register_code=order.channel,
        lines=_lines(order),
        buyer=buyer,
        actor=actor,
        now=now,
    )


def credit_refund(
    *, order: Order, actor: User | None, reason: str, amount: Decimal | None = None, now: datetime
) -> TaxDocument | None:
    """A refund issues a credit note against the order's invoice: of everything left of it, line by line, or
    of `amount` taken off the whole order."""
    invoice = invoice_of(order)
    if invoice is None:
        return None
    reason = reason or _("Refund")
    if amount is None:
        return tax.credit_the_rest(invoice=invoice, reason=reason, actor=actor, now=now)
    left = invoice.total - tax.credited_total(invoice)
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
        reason=reason,
        actor=actor,
        now=now,
    )


def credit_order_lines(
    *, order: Order, credits: list[tuple[int, int, Decimal | None]], reason: str, actor: User | None, now: datetime
) -> TaxDocument:
    """A partial refund: a credit note for (order line id, units returned, amount or None) against the
    order's invoice, each of its lines referring to the invoice line of that order line. Field errors are
    named "lines.<order line id>"."""
    invoice = invoice_of(order)
    if invoice is None:
        raise InvalidTaxDocument(_("This order has no tax invoice to credit."))
    # The invoice's lines are the order's lines in their order, then the delivery (_lines).
    positions = {line_id: position for position, line_id in enumerate(order.lines.values_list("pk", flat=True), 1)}
    order_line_of = {position: line_id for line_id, position in positions.items()}
    unknown = [line_id for line_id, _quantity, _amount in credits if line_id not in positions]
    if unknown:
        raise InvalidTaxDocument(
            _("Check the lines to credit."), fields={f"lines.{unknown[0]}": [_("This order has no such line.")]}
        )
    try:
        return tax.credit_invoice_lines(
            invoice=invoice,
            credits=[
                tax.LineCredit(position=positions[line_id], quantity=quantity, amount=amount)
                for line_id, quantity, amount in credits
            ],
            reason=reason,
            actor=actor,
            now=now,
        )
    except InvalidTaxDocument as error:
        fields = {}
        for name, messages in error.fields.items():
            position = name.removeprefix("lines.")
            line_id = order_line_of.get(int(position)) if position.isdigit() else None
            fields[f"lines.{line_id}" if line_id else name] = messages
        raise InvalidTaxDocument(error.message, fields=fields) from None


def buyer_errors(buyer: tax.Buyer) -> dict[str, list[str]]:
    """The checkout's field errors for a full tax invoice request ("tax_invoice.name", ...), or none."""
    try:
        buyer.cleaned()
    except InvalidTaxDocument as error:
        return {f"tax_invoice.{name.removeprefix('buyer_')}": problems for name, problems in error.fields.items()}
    return {}
