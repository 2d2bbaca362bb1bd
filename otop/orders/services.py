"""Writes of orders: placing one (numbers, prices, stock reservation, PromptPay request), moving it
through its states (each change an OrderEvent), and letting unpaid ones expire.

Unpaid orders expire through `expire_overdue_orders`: every minute from `manage.py run_periodic`
(orders/schedule.py), and also before each order is placed, when a customer tracks an order and when
staff open the order list, so held stock is never kept long past its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.catalog.selectors import sellable_variants
from otop.core.money import MAX_AMOUNT, ZERO, format_baht, line_total, to_satang
from otop.core.services import record_audit_event
from otop.core.thaidates import buddhist_year
from otop.core.validators import normalize_thai_phone, validate_thai_phone
from otop.geo.selectors import InvalidAddress, resolve_address
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.errors import OutOfStock
from otop.notifications.services import notify_by_email
from otop.orders import coupons, tax_documents
from otop.orders.delivery import ParcelPrice, parcel_pricer
from otop.orders.errors import InvalidOrder, RemittanceRefused, TransitionNotAllowed
from otop.orders.models import (
    CartLine,
    Coupon,
    CouponUse,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
    ShopSettings,
)
from otop.orders.signals import order_status_changed
from otop.payments import selectors as payment_selectors
from otop.payments import services as payments
from otop.payments.models import Payment, Refund
from otop.tax.models import TaxDocument

Status = Order.Status

# The one list of allowed status changes. Cancelling releases the held stock; paying commits it.
TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING_PAYMENT: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.PACKED, Status.REFUNDED},
    Status.PACKED: {Status.SHIPPED, Status.READY_FOR_PICKUP, Status.REFUNDED},
    Status.SHIPPED: {Status.COMPLETED, Status.REFUNDED},
    Status.READY_FOR_PICKUP: {Status.COMPLETED, Status.REFUNDED},
    Status.COMPLETED: {Status.REFUNDED},
    Status.CANCELLED: set(),
    Status.REFUNDED: set(),
}

# Cash on delivery: packed and shipped before it is paid; the stock leaves (is committed) when it ships;
# the carrier's remittance pays it (shipped → paid → completed). A parcel refused at the door is cancelled.
COD_TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING_PAYMENT: {Status.PACKED, Status.CANCELLED},
    Status.PACKED: {Status.SHIPPED, Status.CANCELLED},
    Status.SHIPPED: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.COMPLETED, Status.REFUNDED},
    Status.READY_FOR_PICKUP: set(),
    Status.COMPLETED: {Status.REFUNDED},
    Status.CANCELLED: set(),
    Status.REFUNDED: set(),
}


def transitions_of(order: Order) -> dict[str, set[str]]:
    """The status changes allowed for this kind of order."""
    return COD_TRANSITIONS if order.cash_on_delivery else TRANSITIONS


# The customer hears about these changes by e-mail.
NOTIFIED = {Status.PAID, Status.SHIPPED, Status.READY_FOR_PICKUP, Status.CANCELLED, Status.REFUNDED}


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class AddressDetails:
    line1: str = ""
    line2: str = ""
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    postcode: str = ""


def shop_settings() -> ShopSettings:
    return ShopSettings.objects.get_or_create(pk=ShopSettings.SINGLETON_ID)[0]


def _next_number(*, now: datetime) -> str:
    """Take the next order number of the Buddhist-era year; rolled back with the order (no gaps)."""
    year = buddhist_year(timezone.localdate(now).year)
    OrderNumberCounter.objects.get_or_create(year=year)
    counter = OrderNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    OrderNumberCounter.objects.filter(year=year).update(last_number=counter.last_number)
    return f"OTOP-{year}-{counter.last_number:06d}"


# Bounds of one order: lines (before merging), units of one item, and units an anonymous caller may hold.
MAX_LINES = 50
MAX_UNITS_PER_ITEM = 999
MAX_UNITS_ANONYMOUS = 100


def _check_items(
    items: list[tuple[str, int]], *, anonymous: bool
) -> tuple[list[tuple[Variant, int]], dict[str, list[str]]]:
    """Return the variants with their quantities, lines of the same SKU merged, and the field errors."""
    errors: dict[str, list[str]] = {}
    if not items:
        errors["items"] = [_("Add at least one product.")]
        return [], errors
    if len(items) > MAX_LINES:
        errors["items"] = [_("At most %(count)s lines per order.") % {"count": MAX_LINES}]
        return [], errors
    skus = [sku for sku, _quantity in items]
    variants = {v.sku: v for v in sellable_variants().filter(sku__in=skus).select_related("product")}
    wanted: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for index, (sku, quantity) in enumerate(items):
        if sku not in variants:
            errors[f"items.{index}.sku"] = [_("No product on sale has the SKU %(sku)s.") % {"sku": sku[:40]}]
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            errors[f"items.{index}.qty"] = [_("The quantity must be a whole number above zero.")]
        elif sku in variants:
            # Two lines of the same item count as one: the per-item cap holds however the order is split.
            wanted[sku] = wanted.get(sku, 0) + quantity
            first_line.setdefault(sku, index)
    for sku, quantity in wanted.items():
        if quantity > MAX_UNITS_PER_ITEM:
            errors[f"items.{first_line[sku]}.qty"] = [
                _("At most %(count)s of one product per order.") % {"count": MAX_UNITS_PER_ITEM}
            ]
    if anonymous and sum(wanted.values()) > MAX_UNITS_ANONYMOUS:
        errors["items"] = [
            _("An order without an account holds at most %(count)s items. Please sign in for larger orders.")
            % {"count": MAX_UNITS_ANONYMOUS}
        ]
    return [(variants[sku], quantity) for sku, quantity in wanted.items()], errors


def _check_customer(customer: CustomerDetails) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not customer.name.strip():
        errors["customer.name"] = [_("Please give your name.")]
    try:
        validate_thai_phone(customer.phone)
    except ValidationError as error:
        errors["customer.phone"] = list(error.messages)
    if customer.email:
        try:
            validate_email(customer.email)
        except ValidationError:
            errors["customer.email"] = [_("Enter a valid e-mail address.")]
    return errors


def place_order(
    *,
    items: list[tuple[str, int]],
    customer: CustomerDetails,
    delivery_method: str,
    address: AddressDetails | None = None,
    channel: str = Order.Channel.WEB,
    user: User | None = None,
    language: str = "th",
    now: datetime | None = None,
    delivery_option: str = "",
    coupon: str = "",
    tax_invoice: tax_documents.tax.Buyer | None = None,
    payment: str = Order.Payment.PROMPTPAY,
) -> Order:
    """Validate and place an order: hold its stock until it expires and ask for PromptPay payment.

    A `coupon` code takes its discount off the goods, split over the lines it covers (InvalidOrder on
    the field "coupon" when it does not apply, is used up or has expired).

    Raises InvalidOrder (field errors) or OutOfStock (409); either way nothing is left behind.
    A parcel's fee comes from the registered parcel pricer (orders.delivery) for `delivery_option`
    (`<carrier>:<service>`, empty for the cheapest), never from the caller.

    `payment` "cod" (a parcel whose carrier offers it): the carrier collects the total, COD fee included,
    at the door; the stock is held with no time limit (as a paid order's) and no PromptPay is asked for.
    """
    now = now or timezone.now()
    signed_in = getattr(user, "is_authenticated", False)
    variants, errors = _check_items(items, anonymous=not signed_in)
    errors.update(_check_customer(customer))
    resolved = None
    if delivery_method not in Order.Delivery.values:
        errors["delivery.method"] = [_("Choose pickup or parcel delivery.")]
    elif delivery_method == Order.Delivery.PARCEL:
        address = address or AddressDetails()
        if not address.line1.strip():
            errors["delivery.address.line1"] = [_("Please give the house number and road.")]
        try:
            resolved = resolve_address(
                province=address.province,
                district=address.district,
                subdistrict=address.subdistrict,
                postcode=address.postcode,
            )
        except InvalidAddress as error:
            for name, messages in error.fields.items():
                errors[f"delivery.address.{name}"] = messages
    if tax_invoice is not None:
        errors.update(tax_documents.buyer_errors(tax_invoice))
    cash_on_delivery = payment == Order.Payment.CASH_ON_DELIVERY
    if payment not in Order.Payment.values:
        errors["payment"] = [_("Choose how to pay: PromptPay or cash on delivery.")]
    elif cash_on_delivery and delivery_method != Order.Delivery.PARCEL:
        errors["payment"] = [_("Cash on delivery is for parcels: please pay by PromptPay for pickup.")]
    if errors:
        raise InvalidOrder(_("Some details of the order are missing or not valid."), fields=errors)

    settings_row = shop_settings()
    lines = [
        OrderLine(
            variant=variant,
            sku=variant.sku,
            name_th=str(variant),
            name_en=f"{variant.product.name_en or variant.product.name_th} {variant.name_en}".strip(),
            unit_price=variant.price,
            quantity=quantity,
            line_total=line_total(variant.price, quantity),
        )
        for variant, quantity in variants
    ]
    subtotal = to_satang(sum((line.line_total for line in lines), ZERO))
    discount = ZERO
    quote = None
    if coupon.strip():
        try:
            quote = coupons.quote_coupon(
                code=coupon, lines=[(line.variant, line.line_total) for line in lines], phone=customer.phone, now=now
            )
        except coupons.InvalidCoupon as error:
            raise InvalidOrder(error.message, fields={"coupon": [error.message]}) from None
        for line, share in zip(lines, quote.line_discounts, strict=True):
            line.discount = share
        discount = quote.discount
    parcel = _price_parcel(
        delivery_method=delivery_method,
        variants=variants,
        postcode=resolved.postcode if resolved else "",
        subtotal=subtotal,
        option=delivery_option,
        flat_rate=settings_row.parcel_rate,
        cash_on_delivery=cash_on_delivery,
    )
    fee = parcel.fee if parcel else ZERO
    if subtotal - discount + fee > MAX_AMOUNT:
        raise InvalidOrder(_("This order is too large to place online. Please contact the center."))
    expire_overdue_orders(now=now)
    with transaction.atomic():
        number = _next_number(now=now)
        # A cash-on-delivery order holds its stock like a paid one: it does not expire.
        expires_at = None if cash_on_delivery else now + timedelta(minutes=settings_row.payment_minutes)
        order = Order.objects.create(
            number=number,
            channel=channel,
            user=user,
            customer_name=customer.name.strip(),
            phone=normalize_thai_phone(customer.phone),
            email=customer.email,
            language=language,
            delivery_method=delivery_method,
            address_line1=address.line1.strip() if resolved and address else "",
            address_line2=address.line2.strip() if resolved and address else "",
            subdistrict=resolved.subdistrict if resolved else None,
            district=resolved.district if resolved else None,
            province=resolved.province if resolved else None,
            postcode=resolved.postcode if resolved else "",
            subtotal=subtotal,
            discount=discount,
            delivery_fee=fee,
            total=subtotal - discount + fee,
            placed_at=now,
            expires_at=expires_at,
            cash_on_delivery=cash_on_delivery,
        )
        for line in lines:
            line.order = order
        OrderLine.objects.bulk_create(lines)
        if parcel and parcel.record:
            parcel.record(order)
        if quote is not None:
            _use_coupon(quote=quote, order=order, now=now)
        if tax_invoice is not None:
            tax_documents.request_at_checkout(order=order, buyer=tax_invoice, now=now)
        # Raises OutOfStock and rolls everything back, the order number included.
        inventory.reserve_stock(
            items=[(line.variant_id, line.quantity) for line in lines],
            reference=order.reservation_reference,
            expires_at=expires_at,
        )
        if not cash_on_delivery:
            # The order number is the transfer's reference (a bill payment's Ref1: letters and digits only).
            payments.request_promptpay_payment(
                paid_for=order, amount=order.total, reference=order.number.replace("-", "")
            )
        OrderEvent.objects.create(order=order, to_status=order.status, at=now, actor=order.user)
        _notify(order, "order_placed")
    return order


def ask_for_full_tax_invoice(
    *, order: Order, buyer: tax_documents.tax.Buyer, actor: User | None, now: datetime | None = None
) -> TaxDocument | None:
    """The buyer asks for a full tax invoice after checkout (the order page): kept until payment while
    unpaid; once paid, issued at once within the month of payment, the abbreviated invoice cancelled and
    kept (InvalidTaxDocument after that month, or for bad details; nothing changes then)."""
    return tax_documents.request_full_invoice(order=order, buyer=buyer, actor=actor, now=now)


def _price_parcel(
    *,
    delivery_method: str,
    variants: list[tuple[Variant, int]],
    postcode: str,
    subtotal,
    option: str,
    flat_rate,
    cash_on_delivery: bool = False,
) -> ParcelPrice | None:
    if delivery_method != Order.Delivery.PARCEL:
        return None
    pricer = parcel_pricer()
    if pricer is None:
        if cash_on_delivery:
            message = _("Cash on delivery is not offered. Please pay by PromptPay.")
            raise InvalidOrder(message, fields={"payment": [message]})
        return ParcelPrice(fee=flat_rate)
    return pricer(
        items=variants, postcode=postcode, subtotal=subtotal, option=option, cash_on_delivery=cash_on_delivery
    )


def _use_coupon(*, quote: coupons.CouponQuote, order: Order, now: datetime) -> None:
    """Count the coupon's uses again under a lock on its row, so its limits hold across concurrent checkouts."""
    coupon = Coupon.objects.select_for_update().get(pk=quote.coupon.pk)
    try:
        coupons.check_limits(coupon, phone=order.phone)
    except coupons.InvalidCoupon as error:
        raise InvalidOrder(error.message, fields={"coupon": [error.message]}) from None
    CouponUse.objects.create(coupon=coupon, order=order, phone=order.phone, amount=quote.discount, used_at=now)


def _notify(order: Order, event: str, *, reason: str = "", **extra) -> None:
    if order.email:
        context = {"order": order, "reason": reason, **extra}
        notify_by_email(event=f"orders/{event}", email=order.email, language=order.language, context=context)


@transaction.atomic
def change_status(
    *, order: Order, to_status: str, actor: User | None = None, note: str = "", now: datetime | None = None
) -> Order:
    """Move an order to another state if the TRANSITIONS allow it, with an event (and stock effects)."""
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    if to_status not in transitions_of(order)[order.status]:
        raise TransitionNotAllowed(
            number=order.number, current=order.get_status_display(), wanted=Order.Status(to_status).label
        )
    reservation = stock.reservation_for(order.reservation_reference)
    if to_status == Status.PAID and reservation is not None:
        inventory.commit_reservation(reservation=reservation, actor=actor)
    if to_status == Status.SHIPPED and order.cash_on_delivery and reservation is not None:
        # The goods leave before they are paid for: they are out of stock from now on (committing is idempotent).
        inventory.commit_reservation(reservation=reservation, actor=actor)
    if to_status == Status.PAID:
        # The prices the customer paid, for the producers' monthly settlements.
        inventory.record_sale_lines(
            lines=_sale_lines(order),
            reference=f"order:{order.number}",
            channel=_sales_channel(order),
            sold_at=now,
        )
    if to_status == Status.REFUNDED:
        _take_back(order=order, actor=actor, now=now)
    if to_status == Status.CANCELLED:
        payments.cancel_pending_payments(paid_for=order, actor=actor, note=note[:200])
        if reservation is not None:
            inventory.release_reservation(reservation=reservation, reason=note[:40] or "cancelled")
    from_status = order.status
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.PAID:
        order.paid_at = now
        fields.append("paid_at")
    order.save(update_fields=fields)
    if to_status == Status.PAID:
        tax_documents.issue_for_paid_order(order=order, actor=actor, now=now)
    if to_status == Status.REFUNDED:
        tax_documents.credit_refund(order=order, actor=actor, reason=note, now=now)
    OrderEvent.objects.create(order=order, from_status=from_status, to_status=to_status, at=now, actor=actor, note=note)
    record_audit_event(actor=actor, action=f"orders.{to_status}", target=order, summary=order.number)
    if to_status in NOTIFIED:
        # A cancelled or refunded order's e-mail says why.
        reason = note if to_status in {Status.CANCELLED, Status.REFUNDED} else ""
        _notify(order, "status_changed", reason=reason)
    transaction.on_commit(
        partial(
            order_status_changed.send,
            sender=Order,
            order=order,
            from_status=from_status,
            to_status=to_status,
            note=note,
        )
    )
    return order


def _sale_lines(order: Order, *, units: dict[int, int] | None = None) -> list[tuple[int, int, Decimal, Decimal]]:
    """The order's lines for the producers' settlements, with the coupon discount when the producer bears it;
    `units` (order line id → units) for some units of some lines only, their discount in proportion."""
    use = CouponUse.objects.filter(order=order).select_related("coupon").first()
    producer_bears = use is not None and use.coupon.borne_by == Coupon.BorneBy.PRODUCER
    rows = []
    for line in order.lines.all():
        quantity = line.quantity if units is None else units.get(line.pk, 0)
        if quantity <= 0:
            continue
        discount = line.discount if producer_bears else ZERO
        if quantity != line.quantity:
            discount = to_satang(discount * quantity / line.quantity)
        rows.append((line.variant_id, quantity, line.unit_price, discount))
    return rows


def _sales_channel(order: Order) -> str:
    """The channel the producers' sales records name: LINE orders as LINE, the rest as the web."""
    return "line" if order.channel == Order.Channel.LINE else "web"


# A refund from these states finds the goods still at the center: they go back where they were sold from.
GOODS_AT_THE_CENTER = {Status.PAID, Status.PACKED, Status.READY_FOR_PICKUP}


def _take_back(*, order: Order, actor: User | None, now: datetime) -> None:
    """A refund: the producers' settlements lose the refunded lines; goods not yet sent go back on sale.

    Goods already shipped or handed over stay out of stock until staff receive them back.
    """
    reference = f"order:{order.number}"
    # Units a partial refund took back already are not taken back twice.
    rest = {line.pk: line.quantity - line.refunded_quantity for line in order.lines.all()}
    lines = _sale_lines(order, units=rest)
    if lines:
        inventory.record_return_lines(lines=lines, reference=reference, channel=_sales_channel(order), returned_at=now)
    if order.status in GOODS_AT_THE_CENTER:
        inventory.return_sold_reservation(
            reservation_reference=order.reservation_reference, actor=actor, reference=reference
        )


@transaction.atomic
def confirm_promptpay_payment(*, order: Order, actor: User | None, now: datetime | None = None) -> Order:
    """Staff saw the money arrive: record the payment and mark the order paid (stock is sold)."""
    now = now or timezone.now()
    order = change_status(
        order=order, to_status=Status.PAID, actor=actor, note=_("PromptPay payment confirmed"), now=now
    )
    payments.confirm_pending_payments(paid_for=order, actor=actor, now=now)
    return order


@transaction.atomic
def settle_bank_payment(order: Order, *, now: datetime, note: str) -> payments.Settlement:
    """The bank confirmed the exact total of this order (payments.record_bank_transfer calls this).

    Waiting for payment → paid (stock committed, sale lines recorded). Expired (cancelled with no one
    acting) → sold again if the stock is still there, else the money is to be refunded. Anything else
    (already paid, cancelled by staff) → the money is to be refunded.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == Status.PENDING_PAYMENT:
        change_status(order=order, to_status=Status.PAID, note=note, now=now)
        return payments.Settlement(paid=True)
    last = order.events.order_by("-at", "-pk").first()
    expired = order.status == Status.CANCELLED and last is not None and last.actor_id is None
    if not expired:
        return payments.Settlement(
            paid=False,
            refund=True,
            reason=_("Order %(number)s is %(status)s: the money is to be refunded.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    try:
        with transaction.atomic():
            reservation = inventory.reserve_stock(
                items=[(line.variant_id, line.quantity) for line in order.lines.all()],
                reference=f"{order.reservation_reference}:paid-late",
                expires_at=None,
            )
            inventory.commit_reservation(reservation=reservation)
    except OutOfStock:
        return payments.Settlement(
            paid=False,
            refund=True,
            reason=_("Order %(number)s had expired and its goods are no longer in stock: refund the money.")
            % {"number": order.number},
        )
    inventory.record_sale_lines(
        lines=[(line.variant_id, line.quantity, line.unit_price) for line in order.lines.all()],
        reference=f"order:{order.number}",
        channel=_sales_channel(order),
        sold_at=now,
    )
    from_status, order.status, order.paid_at = order.status, Status.PAID, now
    order.save(update_fields=["status", "paid_at", "updated_at"])
    late_note = (note + " — " + _("paid after the order expired; its goods were reserved again"))[:200]
    OrderEvent.objects.create(order=order, from_status=from_status, to_status=Status.PAID, at=now, note=late_note)
    record_audit_event(actor=None, action="orders.paid", target=order, summary=order.number)
    _notify(order, "status_changed")
    transaction.on_commit(
        partial(
            order_status_changed.send,
            sender=Order,
            order=order,
            from_status=from_status,
            to_status=Status.PAID,
            note=late_note,
        )
    )
    return payments.Settlement(paid=True)


# A refund is possible once the order is paid (goods not yet sent go back on sale).
REFUNDABLE = {Status.PAID, Status.PACKED, Status.SHIPPED, Status.READY_FOR_PICKUP, Status.COMPLETED}


def refundable_amount(order: Order) -> Decimal:
    """What can still be given back: the money received for the order less what was refunded."""
    received = payment_selectors.payments_for(order).filter(status=Payment.Status.CONFIRMED)
    return sum((payment.amount - payments.refunded_total(payment) for payment in received), ZERO)


@dataclass(frozen=True)
class RefundLine:
    """Part of a refund by line: an order line, the units returned (0 for none) and, optionally, the amount
    refunded for that line (a price reduction, or units returned for a given amount)."""

    line_id: int
    quantity: int = 0
    amount: Decimal | None = None


def _check_refund(order: Order, reason: str) -> str:
    if order.status not in REFUNDABLE:
        raise TransitionNotAllowed(
            number=order.number, current=order.get_status_display(), wanted=Status.REFUNDED.label
        )
    reason = reason.strip()[:300]
    if not reason:
        message = _("Write the reason for the refund (the customer reads it).")
        raise InvalidOrder(message, fields={"reason": [message]})
    return reason


def _give_money_back(
    *,
    order: Order,
    amount: Decimal,
    method: str,
    reason: str,
    actor: User | None,
    transfer_reference: str,
    now: datetime,
) -> None:
    """Send `amount` back through the order's confirmed payments (newest first): the gateway's refund for card
    payments, or a transfer or cash staff gave, with its reference. Never more than was received."""
    if method not in Refund.Method.values:
        message = _("Choose how the money goes back.")
        raise InvalidOrder(message, fields={"method": [message]})
    received = list(payment_selectors.payments_for(order).filter(status=Payment.Status.CONFIRMED).order_by("-pk"))
    left = {payment.pk: payment.amount - payments.refunded_total(payment) for payment in received}
    refundable = sum(left.values(), ZERO)
    if amount <= ZERO or amount != to_satang(amount) or amount > refundable:
        message = _("Refund between ฿0.01 and what is left of the payment (%(left)s).") % {
            "left": format_baht(refundable)
        }
        raise InvalidOrder(message, fields={"amount": [message]})
    usable = [p for p in received if method != Refund.Method.GATEWAY or p.provider == payments.GATEWAY_PROVIDER]
    if sum((left[p.pk] for p in usable), ZERO) < amount:
        message = _("Only a card payment can be refunded through the gateway; refund the rest by transfer.")
        raise InvalidOrder(message, fields={"method": [message]})
    remaining = amount
    for payment in usable:
        part = min(left[payment.pk], remaining)
        if part > ZERO:
            payments.refund_payment(
                payment=payment,
                amount=part,
                method=method,
                reason=reason,
                actor=actor,
                transfer_reference=transfer_reference,
                now=now,
            )
            remaining -= part


def _record_partial_refund(
    *, order: Order, amount: Decimal, method: str, reason: str, actor: User | None, now: datetime, credit_code: str
) -> None:
    how = Refund.Method(method).label
    note = (
        _("Refunded %(amount)s (%(how)s), credit note %(code)s: %(reason)s")
        % {"amount": format_baht(amount), "how": how, "code": credit_code, "reason": reason}
    )[:300]
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=order.status, at=now, actor=actor, note=note
    )
    record_audit_event(actor=actor, action="orders.refunded_in_part", target=order, summary=note)
    _notify(order, "refunded_in_part", reason=reason, amount=format_baht(amount), how=how)


@transaction.atomic
def refund_order(
    *,
    order: Order,
    method: str,
    reason: str,
    actor: User | None,
    amount: Decimal | None = None,
    transfer_reference: str = "",
    now: datetime | None = None,
) -> Order:
    """Give back all (`amount` None) or part of what the customer paid, and record how, once.

    The money goes back through the payments app (`_give_money_back`). A full refund moves the order to
    refunded (goods not yet sent back on sale, the credit note for what is left of the invoice, the
    customer's e-mail); a partial one keeps its status and issues a credit note for the amount taken off the
    whole order, with an event in the order's history and an e-mail saying how much went back and why.
    A refusal changes nothing.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    reason = _check_refund(order, reason)
    refundable = refundable_amount(order)
    amount = refundable if amount is None else amount
    _give_money_back(
        order=order, amount=amount, method=method, reason=reason, actor=actor,
        transfer_reference=transfer_reference, now=now,
    )  # fmt: skip
    if amount == refundable:
        return change_status(order=order, to_status=Status.REFUNDED, actor=actor, note=reason, now=now)
    note = tax_documents.credit_refund(order=order, actor=actor, reason=reason, amount=amount, now=now)
    _record_partial_refund(
        order=order, amount=amount, method=method, reason=reason, actor=actor, now=now,
        credit_code=note.code if note else "-",
    )  # fmt: skip
    return order


@transaction.atomic
def refund_order_lines(
    *,
    order: Order,
    lines: list[RefundLine],
    reason: str,
    actor: User | None,
    method: str,
    transfer_reference: str = "",
    now: datetime | None = None,
) -> TaxDocument:
    """Refund part of a paid order, line by line: a credit note (s.86/10) against its tax invoice, each line
    referring to the invoice line it credits, and its total given back (`_give_money_back`); the units
    returned leave the producers' sales (their settlement). The order keeps its status unless nothing is left
    to give back (then it is refunded); a refund of the rest later takes back only what is left. Goods come
    back through staff receiving them, as for a parcel already sent.

    Raises TransitionNotAllowed, InvalidOrder (fields "reason", "method", "amount") or InvalidTaxDocument
    (fields "lines.<line id>"); nothing changes then.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    reason = _check_refund(order, reason)
    lines = [line for line in lines if line.quantity or line.amount is not None]
    note = tax_documents.credit_order_lines(
        order=order,
        credits=[(line.line_id, line.quantity, line.amount) for line in lines],
        reason=reason,
        actor=actor,
        now=now,
    )
    _give_money_back(
        order=order, amount=note.total, method=method, reason=reason, actor=actor,
        transfer_reference=transfer_reference, now=now,
    )  # fmt: skip
    returned = {line.line_id: line.quantity for line in lines if line.quantity}
    if returned:
        inventory.record_return_lines(
            lines=_sale_lines(order, units=returned),
            reference=f"order:{order.number}:{note.code}",
            channel=_sales_channel(order),
            returned_at=now,
        )
        for line_id, quantity in returned.items():
            OrderLine.objects.filter(pk=line_id, order=order).update(
                refunded_quantity=F("refunded_quantity") + quantity
            )
    _record_partial_refund(
        order=order, amount=note.total, method=method, reason=reason, actor=actor, now=now, credit_code=note.code
    )
    if refundable_amount(order) == ZERO:
        change_status(order=order, to_status=Status.REFUNDED, actor=actor, note=reason, now=now)
    return note


@transaction.atomic
def settle_cash_on_delivery(
    *, order: Order, amount: Decimal, reference: str, actor: User | None, note: str, now: datetime | None = None
) -> Order:
    """A carrier remitted the cash it collected for this order: shipped → paid (sale lines, tax documents,
    the money recorded as a received transfer) → completed.

    Raises RemittanceRefused, changing nothing, when the order is not cash on delivery, is paid already,
    is not on its way, or the amount is not its total to the satang.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    values = {
        "number": order.number,
        "status": order.get_status_display(),
        "amount": f"{amount:,.2f}",
        "total": f"{order.total:,.2f}",
    }
    if not order.cash_on_delivery:
        raise RemittanceRefused(_("Order %(number)s is not a cash-on-delivery order.") % values)
    if order.paid_at is not None:
        raise RemittanceRefused(_("Order %(number)s is paid already: this remittance is a second one.") % values)
    if order.status != Status.SHIPPED:
        raise RemittanceRefused(_("Order %(number)s is %(status)s, not on its way.") % values)
    if amount != order.total:
        raise RemittanceRefused(
            _("%(amount)s baht was remitted for order %(number)s, whose total is %(total)s baht.") % values
        )
    order = change_status(order=order, to_status=Status.PAID, actor=actor, note=note[:300], now=now)
    payments.record_received_payments(
        paid_for=order,
        received=[
            payments.ReceivedMoney(method=Payment.Method.TRANSFER, amount=amount, provider_transaction_id=reference)
        ],
        actor=actor,
        at=now,
    )
    return change_status(order=order, to_status=Status.COMPLETED, actor=actor, note=note[:300], now=now)


def expire_overdue_orders(*, now: datetime | None = None) -> int:
    """Cancel unpaid orders whose time ran out (their stock goes back on sale); returns how many."""
    now = now or timezone.now()
    overdue = list(
        Order.objects.filter(status=Status.PENDING_PAYMENT, expires_at__lte=now).values_list("pk", flat=True)[:200]
    )
    for pk in overdue:
        order = Order.objects.get(pk=pk)
        try:
            change_status(order=order, to_status=Status.CANCELLED, note=_("Not paid in time"), now=now)
        except TransitionNotAllowed:
            continue  # paid meanwhile
    return len(overdue)


# --- the signed-in customer's cart -------------------------------------------------------------


@transaction.atomic
def set_cart_quantity(*, user: User, variant_id: int, quantity: int, add: bool = False) -> int:
    """Set (or with `add`, raise) the account's quantity of one item; 0 or less removes the line.

    Assumes the caller has capped the quantity by what can be sold; returns the quantity now in the cart.
    """
    line = CartLine.objects.select_for_update().filter(user=user, variant_id=variant_id).first()
    new = (line.quantity if line and add else 0) + quantity
    if new <= 0:
        CartLine.objects.filter(user=user, variant_id=variant_id).delete()
        return 0
    if line:
        CartLine.objects.filter(pk=line.pk).update(quantity=new)
    else:
        CartLine.objects.create(user=user, variant_id=variant_id, quantity=new)
    return new


def clear_cart(*, user: User) -> None:
    CartLine.objects.filter(user=user).delete()
