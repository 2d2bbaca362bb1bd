"""Writes at the till: shifts, sales (idempotent by the device's sale id), numbers, voids, approvals."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.accounts.selectors import users_with_permission
from otop.catalog.models import Variant
from otop.core.apitypes import MAX_QUANTITY
from otop.core.models import AuditEvent
from otop.core.money import MAX_AMOUNT, ZERO, InvalidAmount, line_total, parse_amount, to_satang, vat_included_in
from otop.core.services import record_audit_event
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.inventory.services.sales import split_price
from otop.notifications.services import notify_by_email
from otop.payments import services as payment_services
from otop.payments.models import Payment, Refund
from otop.pos import selectors
from otop.pos.errors import (
    AlreadyVoided,
    ApprovalRequired,
    InvalidSale,
    PinLocked,
    PriceChanged,
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
    PriceList,
    ReceiptCounter,
    Register,
    Sale,
    SaleLine,
    SaleReturn,
    SaleReturnLine,
    SaleVoid,
    Shift,
)
from otop.tax import selectors as tax_selectors
from otop.tax import services as tax_services
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import DocumentKind, TaxDocument

NUMBER_BLOCK_SIZE = 50
# How a sale is named as the source of its tax documents (the tax app knows nothing of sales).
SALE_SOURCE = "pos.sale"
# A device asks for a new block while it still holds this many unused numbers, so it never runs dry offline.
NUMBER_BLOCK_LOW_WATER = 20
# A device clock may run a little ahead; further ahead than this and the server's time is used.
CLOCK_SKEW_ALLOWED = timedelta(minutes=5)
# An offline sale may use the prices of the price list its device held, if that list was served this recently.
PRICE_LIST_MAX_AGE = timedelta(days=3)


# --- approvals ----------------------------------------------------------------------------

# New PINs have at least this many digits; shorter PINs set before stay valid until changed.
PIN_DIGITS = (6, 8)
# Wrong PINs allowed per register, and per cashier, within the window before approvals are locked.
PIN_FAILURES_ALLOWED = 5
PIN_LOCK_WINDOW = timedelta(minutes=15)


def set_manager_pin(*, user: User | None, pin: str) -> ManagerPin:
    """Store a manager's approval PIN as a password hash (never the PIN itself)."""
    shortest, longest = PIN_DIGITS
    if not (pin.isdigit() and shortest <= len(pin) <= longest):
        raise InvalidSale(
            _("A PIN has %(shortest)s to %(longest)s digits.") % {"shortest": shortest, "longest": longest}
        )
    if not user.has_perm("pos.approve_till"):
        raise ApprovalRequired(_("Only a manager can approve at the till."))
    record, _created = ManagerPin.objects.update_or_create(user=user, defaults={"pin_hash": make_password(pin)})
    record_audit_event(actor=user, action="pos.pin_set", target=record)
    return record


def manager_for_pin(pin: str | None) -> User | None:
    """Return the active manager whose PIN this is, or None. Callers go through approve_with_pin."""
    if not pin or not pin.isdigit() or len(pin) > PIN_DIGITS[1]:
        return None
    for record in ManagerPin.objects.select_related("user").filter(user__is_active=True):
        if check_password(pin, record.pin_hash) and record.user.has_perm("pos.approve_till"):
            return record.user
    return None


def _recent_pin_failures(*, register: Register, actor: User | None, now: datetime) -> tuple[int, int]:
    """Wrong PINs within the window: at this register, and by this cashier at any register."""
    recent = AuditEvent.objects.filter(action=PIN_FAILED, at__gte=now - PIN_LOCK_WINDOW)
    at_register = recent.filter(target_type=Register._meta.label_lower, target_id=str(register.pk)).count()
    by_actor = recent.filter(actor=actor).count() if getattr(actor, "is_authenticated", False) else 0
    return at_register, by_actor


PIN_FAILED = "pos.pin_failed"


def approve_with_pin(*, pin: str, register: Register, actor: User | None, purpose: str) -> User:
    """Return the manager whose PIN was given, recording the attempt in the audit log.

    Refuses (PinLocked) after PIN_FAILURES_ALLOWED wrong PINs within PIN_LOCK_WINDOW at the register or
    by the cashier, and tells the managers once when that happens. Call it outside the action's
    transaction: a wrong PIN must stay recorded although the action is refused.
    """
    now = timezone.now()
    at_register, by_actor = _recent_pin_failures(register=register, actor=actor, now=now)
    if max(at_register, by_actor) >= PIN_FAILURES_ALLOWED:
        record_audit_event(actor=actor, action="pos.pin_locked_out", target=register, data={"purpose": purpose})
        minutes = int(PIN_LOCK_WINDOW.total_seconds() // 60)
        raise PinLocked(
            _("Too many wrong PINs. Approvals at this register are locked for up to %(minutes)s minutes.")
            % {"minutes": minutes}
        )
    approver = manager_for_pin(pin)
    if approver is None:
        record_audit_event(actor=actor, action=PIN_FAILED, target=register, data={"purpose": purpose})
        if max(at_register, by_actor) + 1 == PIN_FAILURES_ALLOWED:
            _alert_managers(register=register, actor=actor, now=now)
        raise ApprovalRequired(_("This manager's PIN is not right."))
    record_audit_event(
        actor=actor,
        action="pos.pin_approved",
        target=register,
        data={"purpose": purpose, "approved_by": approver.username},
    )
    return approver


def _alert_managers(*, register: Register, actor: User | None, now: datetime) -> None:
    """E-mail every manager who can approve at the till: the PIN was mistyped too often."""
    for manager in users_with_permission("pos.approve_till"):
        notify_by_email(
            event="pos/pin_locked",
            email=manager.email,
            language=getattr(manager, "preferred_language", "th") or "th",
            context={"register": register, "cashier": actor, "at": now, "failures": PIN_FAILURES_ALLOWED},
        )


# --- price lists ----------------------------------------------------------------------------


def publish_price_list(*, now: datetime | None = None) -> PriceList:
    """Return the current prices as a versioned price list, recording the version the first time it is served.

    The version is a hash of the prices, so unchanged prices keep their version; `last_served_at` says
    how recently a device may have fetched it (refreshed at most every few minutes).
    """
    now = now or timezone.now()
    prices = selectors.current_prices()
    version = hashlib.sha256(json.dumps(prices, sort_keys=True).encode()).hexdigest()[:20]
    record, created = PriceList.objects.get_or_create(
        version=version, defaults={"prices": prices, "first_served_at": now, "last_served_at": now}
    )
    if not created and record.last_served_at < now - timedelta(minutes=5):
        PriceList.objects.filter(pk=record.pk).update(last_served_at=now)
    return record


def forget_old_price_lists(*, now: datetime | None = None) -> int:
    """Delete price lists no device can still use (not served for twice the offline allowance)."""
    now = now or timezone.now()
    deleted, _by_model = PriceList.objects.filter(last_served_at__lt=now - 2 * PRICE_LIST_MAX_AGE).delete()
    return deleted


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
    price_list: str = ""


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
    _check_bounds(data)
    approver = None
    if data.approval_pin:
        # Checked before the sale's transaction, so a wrong PIN stays in the audit log.
        approver = approve_with_pin(pin=data.approval_pin, register=register, actor=actor, purpose="discount")
    try:
        sale = _record_new_sale(register=register, actor=actor, data=data, approver=approver, now=now)
        return RecordedSale(sale=sale, created=True)
    except IntegrityError:
        existing = Sale.objects.filter(device_sale_id=data.device_sale_id).first()
        if existing is None:
            raise InvalidSale(
                _("Receipt number %(number)s is already used on this register.") % {"number": data.receipt_number}
            ) from None
        return _replayed(existing, register)


MAX_LINES = 200
MAX_PAYMENTS = 10


def _amount(value: Decimal | None, *, negative: bool = False) -> None:
    """Refuse an amount the books cannot hold: not finite, more than 2 decimals, beyond the column."""
    if value is None:
        return
    try:
        amount = parse_amount(value)
    except InvalidAmount:
        raise InvalidSale(_("Amounts are baht with at most 2 decimals.")) from None
    if amount < 0 and not negative:
        raise InvalidSale(_("An amount cannot be negative."))


def _check_bounds(data: SaleInput) -> None:
    """Check the sizes and amounts of a sale before anything else (the API checks them too)."""
    if len(data.lines) > MAX_LINES or len(data.payments) > MAX_PAYMENTS:
        raise InvalidSale(_("This sale has too many lines or payments."))
    for line in data.lines:
        if isinstance(line.quantity, bool) or not 1 <= line.quantity <= MAX_QUANTITY:
            raise InvalidSale(_("A line's quantity is from 1 to %(max)s.") % {"max": MAX_QUANTITY})
        _amount(line.unit_price)
        _amount(line.discount)
    for payment in data.payments:
        _amount(payment.amount)
        _amount(payment.tendered)
    _amount(data.bill_discount)


def _replayed(sale: Sale, register: Register) -> RecordedSale:
    if sale.register_id != register.pk:
        raise InvalidSale(_("This sale was recorded on another register."))
    return RecordedSale(sale=sale, created=False)


@dataclass
class _PricedLine:
    line: SaleLine
    stock_items: list[tuple[int, int]]


def _offline_price_list(*, data: SaleInput, now: datetime) -> PriceList | None:
    """The price list an offline sale was rung up with, if it is known and was served recently enough."""
    if not data.recorded_offline or not data.price_list:
        return None
    return PriceList.objects.filter(version=data.price_list[:64], last_served_at__gte=now - PRICE_LIST_MAX_AGE).first()


def _price_lines(*, register: Register, data: SaleInput, now: datetime) -> tuple[list[_PricedLine], list[str]]:
    """Price every line from the server's own prices (current, or the offline device's recent price list).

    A line whose unit price is neither is refused (PriceChanged): the register's price list is out of
    date or the price was typed over; a lower price is given as a discount, with its PIN rules.
    """

    held = _offline_price_list(data=data, now=now)

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
            line.product_id = product.pk
            line.category_id = product.category_id
            line.district_code = product.producer.district_id or ""
            current_price = variant.price
            held_price = held.prices.get(f"v{variant.pk}") if held else None
            stock_items.append((variant.pk, item.quantity))
        elif item.menu_item_id:
            menu_item = menu.get(item.menu_item_id)
            if menu_item is None:
                raise InvalidSale(_("An item on this sale is not on this register's menu."))
            line.menu_item = menu_item
            line.name = menu_item.name_th
            line.category_name = menu_item.get_kind_display()
            line.modifiers, current_price = _menu_choices(menu_item, item.modifiers, options)
            held_price = _held_menu_price(held, menu_item, line.modifiers) if held else None
            if menu_item.recipe_variant_id and menu_item.recipe_quantity:
                stock_items.append((menu_item.recipe_variant_id, menu_item.recipe_quantity * item.quantity))
        else:
            raise InvalidSale(_("A line sells neither a product nor a menu item."))
        line.unit_price = to_satang(item.unit_price)
        if line.unit_price != current_price:
            if held_price is None or line.unit_price != Decimal(held_price):
                raise PriceChanged(
                    _("The price of %(item)s is %(price)s. Load the register's price list again and ring it up anew.")
                    % {"item": line.name, "price": current_price}
                )
            # Rung up offline from the price list the device held; the customer paid what it showed.
            notes.append(
                _("%(item)s sold at %(paid)s from the register's price list of %(when)s, price now %(now)s")
                % {
                    "item": line.name,
                    "paid": line.unit_price,
                    "now": current_price,
                    "when": timezone.localtime(held.first_served_at).strftime("%Y-%m-%d %H:%M"),
                }
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


def _held_menu_price(held: PriceList, menu_item: MenuItem, stored: list[dict]) -> Decimal | None:
    """A menu item's unit price (with its options) in an older price list, or None if it was not in it."""
    base = held.prices.get(f"m{menu_item.pk}")
    if base is None:
        return None
    price = Decimal(base)
    for choice in stored:
        if choice["kind"] in ("size", "extra"):
            option_price = held.prices.get(f"o{menu_item.register_id}:{choice['code']}")
            if option_price is None:
                return None
            price += Decimal(option_price)
    return to_satang(price)


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
def _record_new_sale(
    *, register: Register, actor: User | None, data: SaleInput, approver: User | None, now: datetime | None
) -> Sale:
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
    priced, notes = _price_lines(register=register, data=data, now=now)
    subtotal = sum((entry.line.total for entry in priced), ZERO)
    if subtotal > MAX_AMOUNT:
        raise InvalidSale(_("This sale is larger than the till can record."))
    bill_discount = to_satang(data.bill_discount)
    if bill_discount < 0 or bill_discount > subtotal:
        raise InvalidSale(_("The bill discount must be between zero and the subtotal."))
    total = subtotal - bill_discount
    change = _check_payments(data.payments, total)
    _share_vat(priced, bill_discount=bill_discount, vat=vat_included_in(total))
    gross = sum((line_total(entry.line.unit_price, entry.line.quantity) for entry in priced), ZERO)
    discount = gross - total
    # The limit holds online and offline alike: an offline sale without the PIN waits on the device
    # until a manager approves it.
    if discount > 0 and discount * 100 > gross * register.discount_limit_percent:
        if approver is None:
            raise ApprovalRequired(_("A discount this large needs a manager's PIN."))
    else:
        approver = None
    sold_at = data.sold_at or now
    if not shift.opened_at - CLOCK_SKEW_ALLOWED <= sold_at <= now + CLOCK_SKEW_ALLOWED:
        # The device's clock is off (ahead of the server, or before its own shift began): the server's time
        # is used, and the manager sees what the device said.
        if data.sold_at is not None and sold_at < shift.opened_at - CLOCK_SKEW_ALLOWED:
            notes.append(_("The register's clock said %(when)s.") % {"when": data.sold_at.isoformat()[:19]})
        sold_at = now
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
    tax_services.record_till_receipt(
        register_code=register.code,
        prefix=register.receipt_prefix,
        number=sale.receipt_number,
        source_type=SALE_SOURCE,
        source_id=sale.pk,
        lines=_sold_lines(sale),
        discount=sale.bill_discount,
        actor=actor,
        now=sale.sold_at,
    )
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


def _sold_lines(sale: Sale) -> list[tax_services.SoldLine]:
    return [
        tax_services.SoldLine(
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=line.total,
            product_id=line.variant.product_id if line.variant_id else None,
        )
        for line in sale.lines.select_related("variant")
    ]


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
) -> TaxDocument:
    """Issue the full tax invoice (s.86/4) of a sale through the tax app's series; once per sale."""
    sale = Sale.objects.select_for_update().select_related("register").get(pk=sale.pk)
    if sale.status != Sale.Status.COMPLETED:
        raise InvalidSale(_("A voided sale gets no tax invoice."))
    # The full invoice replaces the receipt's abbreviated one, which is kept, marked cancelled.
    return tax_services.replace_with_full_invoice(
        source_type=SALE_SOURCE,
        source_id=sale.pk,
        source_code=sale.receipt_code,
        register_code=sale.register.code,
        lines=_sold_lines(sale),
        discount=sale.bill_discount,
        buyer=tax_services.Buyer(name=buyer_name, address=buyer_address, tax_id=buyer_tax_id, branch=buyer_branch),
        actor=actor,
        now=now,
    )


def _settle_tax_documents(*, sale: Sale, reason: str, actor: User | None, now: datetime | None) -> None:
    """A void cancels the sale's tax invoice on the day it was issued (kept, its number not reused), and
    credits it after that day; a refund issues a credit note, line by line, for what is left of it."""
    if sale.status == Sale.Status.VOIDED:
        tax_services.void_documents_of(source_type=SALE_SOURCE, source_id=sale.pk, reason=reason, actor=actor, now=now)
        return
    for invoice in TaxDocument.objects.filter(
        source_type=SALE_SOURCE, source_id=str(sale.pk), status=TaxDocument.Status.ISSUED
    ).exclude(kind=DocumentKind.CREDIT_NOTE):
        tax_services.credit_the_rest(invoice=invoice, reason=reason, actor=actor, now=now)


def void_sale(
    *, sale: Sale, reason: str, manager_pin: str, actor: User | None, now: datetime | None = None
) -> SaleVoid:
    """Void (same shift) or refund (later) a sale with a manager's PIN; its goods go back to the shelf."""
    if sale.status != Sale.Status.COMPLETED:
        raise AlreadyVoided(_("This sale is already voided or refunded."))
    if not reason.strip():
        raise InvalidSale(_("Give a reason."))
    # Checked before the void's transaction, so a wrong PIN stays in the audit log.
    approver = approve_with_pin(pin=manager_pin, register=sale.register, actor=actor, purpose="void")
    return _void_sale(sale=sale, reason=reason, approver=approver, actor=actor, now=now)


@transaction.atomic
def _void_sale(*, sale: Sale, reason: str, approver: User, actor: User | None, now: datetime | None) -> SaleVoid:

    sale = Sale.objects.select_for_update().select_related("register").get(pk=sale.pk)
    if sale.status != Sale.Status.COMPLETED:
        raise AlreadyVoided(_("This sale is already voided or refunded."))
    shift = Shift.objects.filter(register=sale.register, status=Shift.Status.OPEN).first()
    if shift is None:
        raise ShiftNotOpen(_("Open a shift on this register first."))
    # Units a partial refund already took back went back then; only the rest goes back now.
    returned = selectors.returned_quantities(sale)
    left = [
        (line, line.quantity - returned.get(line.pk, 0))
        for line in sale.lines.filter(variant__isnull=False)
        if line.quantity > returned.get(line.pk, 0)
    ]
    _goods_back(sale=sale, lines=left, reference=sale.receipt_code, actor=actor, now=now)
    sale.status = Sale.Status.VOIDED if sale.shift_id == shift.pk else Sale.Status.REFUNDED
    sale.save(update_fields=["status", "updated_at"])
    _settle_tax_documents(sale=sale, reason=reason, actor=actor, now=now)
    record = SaleVoid.objects.create(
        sale=sale, reason=reason.strip()[:300], approved_by=approver, done_by=actor, done_at=now or timezone.now(),
        shift=shift,
    )  # fmt: skip
    record_audit_event(
        actor=actor, action=f"pos.sale_{sale.status}", target=sale, summary=reason[:300],
        data={"approved_by": approver.username},
    )  # fmt: skip
    return record


def _goods_back(
    *, sale: Sale, lines: list[tuple[SaleLine, int]], reference: str, actor: User | None, now: datetime | None
) -> None:
    """Put (sale line, units) back on the register's shelf and take them out of the producers' sales."""
    goods: dict[int, int] = {}
    for line, quantity in lines:
        if line.variant_id:
            goods[line.variant_id] = goods.get(line.variant_id, 0) + quantity
    if not goods:
        return
    stock_services.return_to_stock(
        items=sorted(goods.items()),
        location=stock_selectors.location(sale.register.location_code),
        actor=actor,
        reference=reference,
    )
    stock_services.record_return_lines(
        lines=[(line.variant_id, quantity, line.unit_price) for line, quantity in lines if line.variant_id],
        reference=reference,
        channel="tea" if sale.register.location_code == "tea" else "counter",
        returned_at=now or timezone.now(),
    )


# --- partial refunds -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnedUnits:
    """Units of one line of a sale (its id) brought back."""

    line_id: int
    quantity: int


def refund_sale_lines(
    *,
    sale: Sale,
    lines: list[ReturnedUnits],
    reason: str,
    manager_pin: str,
    actor: User | None,
    now: datetime | None = None,
) -> SaleReturn:
    """Refund some units of some lines of a completed sale with a manager's PIN (a partial refund).

    A credit note (s.86/10) against the sale's tax invoice credits the units line by line, at each line's
    value per unit (its total less its share of the bill discount); that amount is paid back in cash from
    the open shift's drawer (recorded as cash refunds of the sale's payments, its cash ones first); the units
    go back on the shelf and out of the producers' sales. When nothing is left the sale is refunded. A later
    void or refund of the sale takes back only the rest. Refused as a whole (InvalidSale, InvalidTaxDocument
    with fields "lines.<line id>", ApprovalRequired, ShiftNotOpen, AlreadyVoided): nothing changes then,
    except that a wrong PIN stays in the audit log.
    """
    if sale.status != Sale.Status.COMPLETED:
        raise AlreadyVoided(_("This sale is already voided or refunded."))
    if not reason.strip():
        raise InvalidSale(_("Give a reason."), fields={"reason": [_("Give a reason.")]})
    wanted = [entry for entry in lines if entry.quantity]
    if not wanted:
        raise InvalidSale(
            _("Choose at least one unit to refund."), fields={"lines": [_("Choose at least one unit to refund.")]}
        )
    # Checked before the refund's transaction, so a wrong PIN stays in the audit log.
    approver = approve_with_pin(pin=manager_pin, register=sale.register, actor=actor, purpose="refund")
    return _refund_sale_lines(sale=sale, lines=wanted, reason=reason.strip()[:300], approver=approver, actor=actor,
                              now=now or timezone.now())  # fmt: skip


@transaction.atomic
def _refund_sale_lines(
    *, sale: Sale, lines: list[ReturnedUnits], reason: str, approver: User, actor: User | None, now: datetime
) -> SaleReturn:
    sale = Sale.objects.select_for_update().select_related("register").get(pk=sale.pk)
    if sale.status != Sale.Status.COMPLETED:
        raise AlreadyVoided(_("This sale is already voided or refunded."))
    shift = Shift.objects.filter(register=sale.register, status=Shift.Status.OPEN).first()
    if shift is None:
        raise ShiftNotOpen(_("Open a shift on this register first."))
    invoice = tax_selectors.live_invoice_of(
        source_type=SALE_SOURCE, source_id=sale.pk
    ) or tax_selectors.live_invoice_of(source_type=SALE_SOURCE, source_id=sale.pk, kind=DocumentKind.ABBREVIATED)
    if invoice is None:
        raise InvalidSale(_("This sale has no tax invoice to credit."))
    # The invoice's lines are the sale's lines in their order (_sold_lines).
    sale_lines = list(sale.lines.order_by("position"))
    position_of = {line.pk: position for position, line in enumerate(sale_lines, start=1)}
    line_of = {position: line for line, position in ((line, position_of[line.pk]) for line in sale_lines)}
    unknown = [entry.line_id for entry in lines if entry.line_id not in position_of]
    if unknown:
        raise InvalidTaxDocument(
            _("Check the lines to credit."), fields={f"lines.{unknown[0]}": [_("This sale has no such line.")]}
        )
    try:
        note = tax_services.credit_invoice_lines(
            invoice=invoice,
            credits=[tax_services.LineCredit(position=position_of[entry.line_id], quantity=entry.quantity)
                     for entry in lines],
            reason=reason, source_type=SALE_SOURCE, source_id=sale.pk, actor=actor, now=now,
        )  # fmt: skip
    except InvalidTaxDocument as error:
        fields = {}
        for name, messages in error.fields.items():
            position = name.removeprefix("lines.")
            line = line_of.get(int(position)) if position.isdigit() else None
            fields[f"lines.{line.pk}" if line else name] = messages
        raise InvalidTaxDocument(error.message, fields=fields) from None
    record = SaleReturn.objects.create(
        sale=sale, shift=shift, reason=reason, amount=note.total, credit_note=note, approved_by=approver,
        done_by=actor, done_at=now,
    )  # fmt: skip
    returned = []
    for credited in note.lines.select_related("credits_line"):
        line = line_of[credited.credits_line.position]
        SaleReturnLine.objects.create(sale_return=record, sale_line=line, quantity=credited.quantity,
                                      amount=credited.total)  # fmt: skip
        returned.append((line, credited.quantity))
    _goods_back(sale=sale, lines=returned, reference=f"{sale.receipt_code}:{note.code}", actor=actor, now=now)
    _pay_back_in_cash(sale=sale, amount=note.total, reason=reason, actor=actor, now=now)
    if tax_services.credited_total(invoice) == invoice.total:
        sale.status = Sale.Status.REFUNDED
        sale.save(update_fields=["status", "updated_at"])
    record_audit_event(
        actor=actor, action="pos.sale_refunded_in_part", target=sale, summary=f"{note.code} {note.total}",
        data={"approved_by": approver.username, "reason": reason},
    )  # fmt: skip
    return record


def _share_vat(priced: list, *, bill_discount: Decimal, vat: Decimal) -> None:
    """Each line's share of the sale's VAT: split over the lines' values less their shares of the bill discount
    (split at the running total, as the tax invoice values its lines), to the satang, adding up exactly."""
    totals = [entry.line.total for entry in priced]
    values = totals if bill_discount == 0 else [
        total - share for total, share in zip(totals, split_price(bill_discount, totals), strict=True)
    ]  # fmt: skip
    for entry, share in zip(priced, split_price(vat, values), strict=True):
        entry.line.vat = share


def _pay_back_in_cash(*, sale: Sale, amount: Decimal, reason: str, actor: User | None, now: datetime) -> None:
    """Record `amount` handed back from the drawer as cash refunds of the sale's payments, cash ones first,
    so that a later void gives back by each method only what is left of it."""
    payments = sorted(sale.payments.filter(status=Payment.Status.CONFIRMED),
                      key=lambda payment: (payment.method != Payment.Method.CASH, payment.pk))  # fmt: skip
    left = amount
    for payment in payments:
        if left <= 0:
            break
        share = min(left, payment.amount - payment_services.refunded_total(payment))
        if share > 0:
            payment_services.refund_payment(
                payment=payment, amount=share, method=Refund.Method.CASH, reason=reason, actor=actor, now=now
            )
            left -= share
    if left > 0:
        raise InvalidSale(_("The sale's payments cannot cover this refund."))
