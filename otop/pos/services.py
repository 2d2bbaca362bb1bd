"""Writes at the till: shifts, sales (idempotent by the device's sale id), numbers, voids, approvals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.core.money import ZERO, line_total, to_satang, vat_included_in
from otop.core.services import record_audit_event
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.payments import services as payment_services
from otop.payments.models import Payment
from otop.pos.errors import (
    AlreadyVoided,
    ApprovalRequired,
    InvalidSale,
    ReceiptNumberNotReserved,
    ShiftAlreadyOpen,
    ShiftNotOpen,
)
from otop.pos.models import (
    ManagerPin,
    MenuItem,
    MenuOption,
    NumberBlock,
    NumberSeries,
    ReceiptCounter,
    Register,
    Sale,
    SaleLine,
    SaleVoid,
    Shift,
    TaxInvoice,
)

NUMBER_BLOCK_SIZE = 50
# A device asks for a new block while it still holds this many unused numbers, so it never runs dry offline.
NUMBER_BLOCK_LOW_WATER = 20
# A device clock may run a little ahead; further ahead than this and the server's time is used.
CLOCK_SKEW_ALLOWED = timedelta(minutes=5)


# --- approvals ----------------------------------------------------------------------------


def set_manager_pin(*, user: User | None, pin: str) -> ManagerPin:
    """Store a manager's approval PIN as a password hash (never the PIN itself)."""
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise InvalidSale(_("A PIN has 4 to 8 digits."))
    if not user.has_perm("pos.approve_till"):
        raise ApprovalRequired(_("Only a manager can approve at the till."))
    record, _created = ManagerPin.objects.update_or_create(user=user, defaults={"pin_hash": make_password(pin)})
    return record


def manager_for_pin(pin: str | None) -> Any | None:
    """Return the active manager whose PIN this is, or None."""
    if not pin:
        return None
    for record in ManagerPin.objects.select_related("user").filter(user__is_active=True):
        if check_password(pin, record.pin_hash) and record.user.has_perm("pos.approve_till"):
            return record.user
    return None


# --- gap-free numbers ----------------------------------------------------------------------


def _take_numbers(*, register: Register, series: str, count: int) -> int:
    """Return the first of `count` consecutive numbers of a series. Caller must be inside a transaction."""
    counter, _created = ReceiptCounter.objects.get_or_create(register=register, series=series)
    # The row lock makes every other taker wait, so no two sales or blocks share a number (SQLite
    # runs transactions IMMEDIATE, which serialises writers the same way).
    counter = ReceiptCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.next_number
    counter.next_number = first + count
    counter.save(update_fields=["next_number"])
    return first


@dataclass(frozen=True)
class DeviceNumbers:
    blocks: list[NumberBlock]
    used: list[int]


@transaction.atomic
def reserve_number_block(
    *, register: Register, device_id: str, actor: User | None, size: int = NUMBER_BLOCK_SIZE
) -> DeviceNumbers:
    """Return the device's blocks that still have unused numbers, reserving a new one when few are left.

    Asking twice (a lost answer, a second tab) returns the same blocks, so no range is lost to a retry.
    """
    blocks = list(NumberBlock.objects.filter(register=register, device_id=device_id).order_by("first_number"))
    used: set[int] = set()
    open_blocks = []
    for block in blocks:
        numbers = set(
            Sale.objects.filter(
                register=register, receipt_number__gte=block.first_number, receipt_number__lte=block.last_number
            ).values_list("receipt_number", flat=True)
        )
        if len(numbers) < block.last_number - block.first_number + 1:
            open_blocks.append(block)
            used |= numbers
    unused = sum(block.last_number - block.first_number + 1 for block in open_blocks) - len(used)
    if unused < NUMBER_BLOCK_LOW_WATER:
        first = _take_numbers(register=register, series=NumberSeries.RECEIPT, count=size)
        open_blocks.append(
            NumberBlock.objects.create(
                register=register,
                device_id=device_id,
                first_number=first,
                last_number=first + size - 1,
                reserved_by=actor,
            )
        )
    return DeviceNumbers(blocks=open_blocks, used=sorted(used))


# --- shifts --------------------------------------------------------------------------------


@transaction.atomic
def open_shift(*, register: Register, actor: User | None, starting_cash: Decimal, now: datetime | None = None) -> Shift:
    """Open the register's shift with the cash in the drawer; one open shift per register."""
    if starting_cash < 0:
        raise InvalidSale(_("Starting cash cannot be negative."))
    Register.objects.select_for_update().filter(pk=register.pk).first()
    if Shift.objects.filter(register=register, status=Shift.Status.OPEN).exists():
        raise ShiftAlreadyOpen(_("This register already has an open shift."))
    shift = Shift.objects.create(
        register=register,
        opened_by=actor,
        opened_at=now or timezone.now(),
        starting_cash=to_satang(starting_cash),
    )
    record_audit_event(actor=actor, action="pos.shift_opened", target=shift, data={"cash": str(starting_cash)})
    return shift


def expected_cash_in(shift: Shift) -> Decimal:
    """Starting cash plus cash taken in the shift, minus cash given back for voids and refunds in it."""
    from otop.pos.selectors import shift_totals

    return to_satang(shift.starting_cash + shift_totals(shift).cash_net)


@transaction.atomic
def close_shift(*, shift: Shift, counted_cash: Decimal, actor: User | None, now: datetime | None = None) -> Shift:
    """Close a shift with the cash counted in the drawer and record the variance against what is expected."""
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.status != Shift.Status.OPEN:
        raise ShiftNotOpen(_("This shift is already closed."))
    if counted_cash < 0:
        raise InvalidSale(_("Counted cash cannot be negative."))
    expected = expected_cash_in(shift)
    shift.status = Shift.Status.CLOSED
    shift.closed_by = actor
    shift.closed_at = now or timezone.now()
    shift.counted_cash = to_satang(counted_cash)
    shift.expected_cash = expected
    shift.variance = to_satang(counted_cash - expected)
    shift.save(update_fields=["status", "closed_by", "closed_at", "counted_cash", "expected_cash", "variance"])
    record_audit_event(
        actor=actor,
        action="pos.shift_closed",
        target=shift,
        data={"expected": str(expected), "counted": str(shift.counted_cash), "variance": str(shift.variance)},
    )
    return shift


# --- sales ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    quantity: int
    unit_price: Decimal
    variant_id: int | None = None
    menu_item_id: int | None = None
    discount: Decimal = ZERO
    modifiers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentInput:
    method: str
    amount: Decimal
    tendered: Decimal | None = None
    reference: str = ""


@dataclass(frozen=True)
class SaleInput:
    device_sale_id: uuid.UUID
    shift_id: int
    receipt_number: int
    lines: list[LineInput]
    payments: list[PaymentInput]
    bill_discount: Decimal = ZERO
    sold_at: datetime | None = None
    recorded_offline: bool = False
    approval_pin: str = ""


@dataclass(frozen=True)
class RecordedSale:
    sale: Sale
    created: bool


def record_sale(
    *, register: Register, actor: User | None, data: SaleInput, now: datetime | None = None
) -> RecordedSale:
    """Record a paid sale and take its stock; a replay of the same device sale id returns the first one.

    The unique key on device_sale_id is what stops duplicates: two tabs or a retry after a lost
    answer may race, and the loser of the insert gets the winner's sale back.
    """
    existing = Sale.objects.filter(device_sale_id=data.device_sale_id).first()
    if existing is not None:
        return _replayed(existing, register)
    try:
        return RecordedSale(sale=_record_new_sale(register=register, actor=actor, data=data, now=now), created=True)
    except IntegrityError:
        existing = Sale.objects.filter(device_sale_id=data.device_sale_id).first()
        if existing is None:
            raise InvalidSale(
                _("Receipt number %(number)s is already used on this register.") % {"number": data.receipt_number}
            ) from None
        return _replayed(existing, register)


def _replayed(sale: Sale, register: Register) -> RecordedSale:
    if sale.register_id != register.pk:
        raise InvalidSale(_("This sale was recorded on another register."))
    return RecordedSale(sale=sale, created=False)


@dataclass
class _PricedLine:
    line: SaleLine
    stock_items: list[tuple[int, int]]


def _price_lines(*, register: Register, data: SaleInput) -> tuple[list[_PricedLine], list[str]]:

    variant_ids = {line.variant_id for line in data.lines if line.variant_id}
    menu_ids = {line.menu_item_id for line in data.lines if line.menu_item_id}
    variants = Variant.objects.select_related("product__category", "product__producer").in_bulk(variant_ids)
    menu = MenuItem.objects.filter(register=register).in_bulk(menu_ids)
    options = {option.code: option for option in MenuOption.objects.filter(register=register)}
    notes: list[str] = []
    priced = []
    for position, item in enumerate(data.lines, start=1):
        if item.quantity <= 0:
            raise InvalidSale(_("Every line needs a quantity of at least one."))
        if item.discount < 0:
            raise InvalidSale(_("A discount cannot be negative."))
        line = SaleLine(position=position, quantity=item.quantity, discount=to_satang(item.discount))
        stock_items: list[tuple[int, int]] = []
        if item.variant_id:
            variant = variants.get(item.variant_id)
            if variant is None:
                raise InvalidSale(_("An item on this sale is not in the catalogue."))
            product = variant.product
            line.variant = variant
            line.name = f"{product.name_th} {variant.name_th}".strip()
            line.category_name = product.category.name_th
            line.producer_id = product.producer_id
            line.producer_name = product.producer.name_th
            current_price = variant.price
            stock_items.append((variant.pk, item.quantity))
        elif item.menu_item_id:
            menu_item = menu.get(item.menu_item_id)
            if menu_item is None:
                raise InvalidSale(_("An item on this sale is not on this register's menu."))
            line.menu_item = menu_item
            line.name = menu_item.name_th
            line.category_name = menu_item.get_kind_display()
            line.modifiers, current_price = _menu_choices(menu_item, item.modifiers, options)
            if menu_item.recipe_variant_id and menu_item.recipe_quantity:
                stock_items.append((menu_item.recipe_variant_id, menu_item.recipe_quantity * item.quantity))
        else:
            raise InvalidSale(_("A line sells neither a product nor a menu item."))
        line.unit_price = to_satang(item.unit_price)
        if line.unit_price != current_price:
            # The customer paid what the register showed (perhaps from an older offline price list).
            notes.append(
                _("%(item)s sold at %(paid)s, price now %(now)s")
                % {"item": line.name, "paid": line.unit_price, "now": current_price}
            )
        gross = line_total(line.unit_price, line.quantity)
        if line.discount > gross:
            raise InvalidSale(_("A line discount cannot exceed the line."))
        line.total = gross - line.discount
        priced.append(_PricedLine(line=line, stock_items=stock_items))
    return priced, notes


def _menu_choices(menu_item: MenuItem, chosen: dict, options: dict[str, MenuOption]) -> tuple[list[dict], Decimal]:
    """Return the chosen options as stored on the line, and the unit price they make."""
    price = menu_item.price
    stored: list[dict] = []
    if menu_item.has_temperature:
        temperature = chosen.get("temperature", "hot")
        if temperature not in ("hot", "iced"):
            raise InvalidSale(_("A drink is hot or iced."))
        stored.append({"kind": "temperature", "code": temperature})
    if menu_item.has_sweetness:
        sweetness = chosen.get("sweetness", 100)
        if not isinstance(sweetness, int) or not 0 <= sweetness <= 100:
            raise InvalidSale(_("Sweetness is between 0 and 100 %."))
        stored.append({"kind": "sweetness", "percent": sweetness})
    codes = ([chosen["size"]] if chosen.get("size") else []) + list(chosen.get("extras", []))
    for code in codes:
        option = options.get(code)
        if option is None:
            raise InvalidSale(_("An option on this sale is not on the menu."))
        stored.append({"kind": option.group, "code": option.code, "name": option.name_th, "price": str(option.price)})
        price += option.price
    return stored, to_satang(price)


# How a till takes money (a bank transfer is not taken at the counter).
TILL_METHODS = (Payment.Method.CASH, Payment.Method.PROMPTPAY, Payment.Method.CARD)


def _check_payments(payments: list[PaymentInput], total: Decimal) -> Decimal:
    """Check that the payments settle the total exactly; return the change due on cash."""
    methods = set(TILL_METHODS)
    paid = ZERO
    change = ZERO
    for payment in payments:
        if payment.method not in methods:
            raise InvalidSale(_("Unknown payment method."))
        if payment.amount <= 0:
            raise InvalidSale(_("A payment must be more than zero."))
        if payment.method == Payment.Method.CASH and payment.tendered is not None:
            if payment.tendered < payment.amount:
                raise InvalidSale(_("The cash handed over is less than the cash payment."))
            change += payment.tendered - payment.amount
        if payment.method == Payment.Method.CARD and not payment.reference.strip():
            raise InvalidSale(_("A card payment needs the terminal reference."))
        paid += payment.amount
    if paid != total:
        raise InvalidSale(
            _("The payments (%(paid)s) must add up to the total (%(total)s).") % {"paid": paid, "total": total}
        )
    return to_satang(change)


@transaction.atomic
def _record_new_sale(*, register: Register, actor: User | None, data: SaleInput, now: datetime | None) -> Sale:
    now = now or timezone.now()
    if not data.lines:
        raise InvalidSale(_("A sale needs at least one line."))
    shift = Shift.objects.filter(pk=data.shift_id, register=register).first()
    if shift is None:
        raise ShiftNotOpen(_("Open a shift on this register first."))
    if not NumberBlock.objects.filter(
        register=register, first_number__lte=data.receipt_number, last_number__gte=data.receipt_number
    ).exists():
        raise ReceiptNumberNotReserved(_("This receipt number was not reserved for this register."))
    priced, notes = _price_lines(register=register, data=data)
    subtotal = sum((entry.line.total for entry in priced), ZERO)
    bill_discount = to_satang(data.bill_discount)
    if bill_discount < 0 or bill_discount > subtotal:
        raise InvalidSale(_("The bill discount must be between zero and the subtotal."))
    total = subtotal - bill_discount
    change = _check_payments(data.payments, total)
    gross = sum((line_total(entry.line.unit_price, entry.line.quantity) for entry in priced), ZERO)
    discount = gross - total
    approver = None
    if discount > 0 and discount * 100 > gross * register.discount_limit_percent:
        approver = manager_for_pin(data.approval_pin)
        if approver is None:
            if not data.recorded_offline:
                raise ApprovalRequired(_("A discount this large needs a manager's PIN."))
            notes.append(_("Discount above the limit without a valid manager PIN (rung up offline)."))
    sold_at = data.sold_at if data.sold_at and data.sold_at <= now + CLOCK_SKEW_ALLOWED else now
    if shift.status == Shift.Status.CLOSED:
        notes.append(_("Arrived after its shift was closed."))
    sale = Sale.objects.create(
        device_sale_id=data.device_sale_id,
        register=register,
        shift=shift,
        cashier=actor,
        receipt_number=data.receipt_number,
        sold_at=sold_at,
        subtotal=subtotal,
        bill_discount=bill_discount,
        total=total,
        vat=vat_included_in(total),
        change_due=change,
        recorded_offline=data.recorded_offline,
        approved_by=approver,
        needs_review=bool(notes),
        review_note="; ".join(notes)[:300],
    )
    for entry in priced:
        entry.line.sale = sale
    SaleLine.objects.bulk_create([entry.line for entry in priced])
    payment_services.record_received_payments(
        paid_for=sale,
        received=[
            payment_services.ReceivedMoney(
                method=payment.method,
                amount=to_satang(payment.amount),
                tendered=to_satang(payment.tendered) if payment.tendered is not None else None,
                provider_transaction_id=payment.reference,
            )
            for payment in data.payments
        ],
        actor=actor,
        at=sold_at,
    )
    _take_stock(sale=sale, priced=priced, register=register, actor=actor, offline=data.recorded_offline)
    _record_sold_goods(sale=sale, priced=priced, register=register)
    return sale


def _record_sold_goods(*, sale: Sale, priced: list[_PricedLine], register: Register) -> None:
    """Record the goods sold, at their shelf price, for the producers' settlements.

    Producers are paid on the shelf price: a discount given at the till is the center's, not theirs.
    Tea-menu items are the center's own and are not recorded.
    """

    lines = [
        (entry.line.variant_id, entry.line.quantity, entry.line.unit_price) for entry in priced if entry.line.variant_id
    ]
    if lines:
        stock_services.record_sale_lines(
            lines=lines,
            reference=sale.receipt_code,
            channel="tea" if register.location_code == "tea" else "counter",
            sold_at=sale.sold_at,
        )


def _take_stock(
    *, sale: Sale, priced: list[_PricedLine], register: Register, actor: User | None, offline: bool
) -> None:
    """Take the sale's goods from the register's location; recipe ingredients from the tea store.

    A sale rung up offline has already happened: it is recorded whatever the ledger says, and what
    was missing is flagged for the manager. Online, a shortage refuses the sale (409) and changes nothing.
    """
    goods: dict[int, int] = {}
    ingredients: dict[int, int] = {}
    for entry in priced:
        target = ingredients if entry.line.menu_item_id else goods
        for variant_id, quantity in entry.stock_items:
            target[variant_id] = target.get(variant_id, 0) + quantity
    if not goods and not ingredients:
        return

    shortfalls = []
    if goods:
        result = stock_services.sell_now(
            items=sorted(goods.items()),
            location=stock_selectors.location(register.location_code),
            actor=actor,
            reference=sale.receipt_code,
            allow_shortfall=offline,
        )
        shortfalls = list(result.shortfalls)
    if ingredients:
        # A cup is never refused for want of leaves in the ledger; the manager sees the shortfall.
        result = stock_services.sell_now(
            items=sorted(ingredients.items()),
            location=stock_selectors.location("tea"),
            actor=actor,
            reference=sale.receipt_code,
            allow_shortfall=True,
        )
        shortfalls += list(result.shortfalls)
    if not shortfalls:
        return
    short = {}
    for shortage in shortfalls:
        short[shortage.variant_id] = short.get(shortage.variant_id, 0) + shortage.requested - shortage.available
    for entry in priced:
        line = entry.line
        if line.variant_id and line.variant_id in short:
            line.shortfall_quantity = min(line.quantity, short.pop(line.variant_id))
            line.save(update_fields=["shortfall_quantity"])
    sale.has_shortfall = True
    sale.needs_review = True
    sale.save(update_fields=["has_shortfall", "needs_review"])


# --- after the sale ------------------------------------------------------------------------


@transaction.atomic
def issue_tax_invoice(
    *,
    sale: Sale,
    buyer_name: str,
    buyer_address: str,
    buyer_tax_id: str = "",
    buyer_branch: str = "",
    actor: User | None,
    now: datetime | None = None,
) -> TaxInvoice:
    """Issue the full tax invoice (s.86/4) of a sale with the register's next invoice number; once per sale."""
    sale = Sale.objects.select_for_update().select_related("register").get(pk=sale.pk)
    existing = TaxInvoice.objects.filter(sale=sale).first()
    if existing is not None:
        return existing
    if sale.status != Sale.Status.COMPLETED:
        raise InvalidSale(_("A voided sale gets no tax invoice."))
    if not buyer_name.strip() or not buyer_address.strip():
        raise InvalidSale(_("A full tax invoice needs the buyer's name and address."))
    number = _take_numbers(register=sale.register, series=NumberSeries.TAX_INVOICE, count=1)
    invoice = TaxInvoice.objects.create(
        sale=sale,
        register=sale.register,
        number=number,
        issued_at=now or timezone.now(),
        buyer_name=buyer_name.strip(),
        buyer_address=buyer_address.strip(),
        buyer_tax_id=buyer_tax_id.strip(),
        buyer_branch=buyer_branch.strip(),
    )
    record_audit_event(actor=actor, action="pos.tax_invoice_issued", target=invoice, summary=invoice.code)
    return invoice


@transaction.atomic
def void_sale(
    *, sale: Sale, reason: str, manager_pin: str, actor: User | None, now: datetime | None = None
) -> SaleVoid:
    """Void (same shift) or refund (later) a sale with a manager's PIN; its goods go back to the shelf."""

    sale = Sale.objects.select_for_update().select_related("register").get(pk=sale.pk)
    if sale.status != Sale.Status.COMPLETED:
        raise AlreadyVoided(_("This sale is already voided or refunded."))
    if not reason.strip():
        raise InvalidSale(_("Give a reason."))
    approver = manager_for_pin(manager_pin)
    if approver is None:
        raise ApprovalRequired(_("A void or refund needs a manager's PIN."))
    shift = Shift.objects.filter(register=sale.register, status=Shift.Status.OPEN).first()
    if shift is None:
        raise ShiftNotOpen(_("Open a shift on this register first."))
    goods: dict[int, int] = {}
    for line in sale.lines.filter(variant__isnull=False):
        goods[line.variant_id] = goods.get(line.variant_id, 0) + line.quantity
    if goods:
        stock_services.return_to_stock(
            items=sorted(goods.items()),
            location=stock_selectors.location(sale.register.location_code),
            actor=actor,
            reference=sale.receipt_code,
        )
        stock_services.record_return_lines(
            lines=[
                (line.variant_id, line.quantity, line.unit_price) for line in sale.lines.filter(variant__isnull=False)
            ],
            reference=sale.receipt_code,
            channel="tea" if sale.register.location_code == "tea" else "counter",
            returned_at=now or timezone.now(),
        )
    sale.status = Sale.Status.VOIDED if sale.shift_id == shift.pk else Sale.Status.REFUNDED
    sale.save(update_fields=["status", "updated_at"])
    record = SaleVoid.objects.create(
        sale=sale, reason=reason.strip()[:300], approved_by=approver, done_by=actor, done_at=now or timezone.now(),
        shift=shift,
    )  # fmt: skip
    record_audit_event(
        actor=actor, action=f"pos.sale_{sale.status}", target=sale, summary=reason[:300],
        data={"approved_by": approver.username},
    )  # fmt: skip
    return record
