"""The till's JSON API: sales (idempotent by the device's sale id), shifts, numbers, Z-reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import require_permission, signed_in
from otop.core.apitypes import NOT_BLANK, Id, Money, OffsetDatetime, PositiveMoney, Quantity, Text, errors
from otop.core.errors import DomainError
from otop.core.pages import pdf_response
from otop.payments import services as payment_services
from otop.pos import printing, selectors, services
from otop.pos.errors import InvalidSale
from otop.pos.models import Register, Sale, Shift

router = Router(tags=["pos"], auth=signed_in)

TILL = "accounts.operate_till"


def _register(request: HttpRequest, code: str) -> Register:
    require_permission(request, TILL)
    return get_object_or_404(Register, code=code, is_active=True)


class ShiftOut(Schema):
    id: int
    register_code: str
    status: str
    opened_at: datetime
    starting_cash: Decimal
    closed_at: datetime | None = None
    expected_cash: Decimal | None = None
    counted_cash: Decimal | None = None
    variance: Decimal | None = None
    z_report_url: str


def _shift_out(shift: Shift) -> ShiftOut:
    return ShiftOut(
        id=shift.pk,
        register_code=shift.register.code,
        status=shift.status,
        opened_at=shift.opened_at,
        starting_cash=shift.starting_cash,
        closed_at=shift.closed_at,
        expected_cash=shift.expected_cash,
        counted_cash=shift.counted_cash,
        variance=shift.variance,
        z_report_url=reverse("pos:z-report-pdf", args=[shift.pk]),
    )


class OpenShiftIn(Schema):
    starting_cash: Money


class CloseShiftIn(Schema):
    counted_cash: Money


RegisterCode = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[-a-zA-Z0-9_]+$")]


@router.post(
    "/pos/registers/{code}/shifts",
    response={201: ShiftOut, **errors(404, 409)},
    summary="Open a shift on a register",
)
def open_shift(request: HttpRequest, code: RegisterCode, payload: OpenShiftIn):
    register = _register(request, code)
    shift = services.open_shift(register=register, actor=acting_user(request), starting_cash=payload.starting_cash)
    return Status(201, _shift_out(shift))


@router.get("/pos/shifts/{shift_id}", response={200: ShiftOut, **errors(404)}, summary="A shift")
def get_shift(request: HttpRequest, shift_id: Id):
    require_permission(request, TILL)
    return _shift_out(get_object_or_404(Shift.objects.select_related("register"), pk=shift_id))


@router.post(
    "/pos/shifts/{shift_id}/close",
    response={200: ShiftOut, **errors(404, 409)},
    summary="Close a shift with the counted cash",
)
def close_shift(request: HttpRequest, shift_id: Id, payload: CloseShiftIn):
    require_permission(request, TILL)
    shift = get_object_or_404(Shift.objects.select_related("register"), pk=shift_id)
    shift = services.close_shift(shift=shift, counted_cash=payload.counted_cash, actor=acting_user(request))
    return _shift_out(shift)


class RowOut(Schema):
    label: str
    count: int
    amount: Decimal


class ZReportOut(Schema):
    shift: ShiftOut
    sales_count: int
    takings: Decimal
    vat: Decimal
    discounts: Decimal
    voids_count: int
    voids_amount: Decimal
    refunds_count: int
    refunds_amount: Decimal
    partial_refunds_count: int = Field(description="Partial refunds done in this shift, paid back in cash")
    partial_refunds_amount: Decimal
    expected_cash: Decimal
    by_method: list[RowOut]
    by_category: list[RowOut]
    by_producer: list[RowOut]
    first_receipt: str
    last_receipt: str
    offline_sales: int
    shortfall_sales: int


@router.get(
    "/pos/shifts/{shift_id}/z-report", response={200: ZReportOut, **errors(404)}, summary="The shift's Z-report"
)
def get_z_report(request: HttpRequest, shift_id: Id):
    require_permission(request, TILL)
    shift = get_object_or_404(Shift.objects.select_related("register"), pk=shift_id)
    report = selectors.z_report(shift)
    return ZReportOut(
        shift=_shift_out(shift),
        sales_count=report.totals.sales_count,
        takings=report.totals.gross,
        vat=report.totals.vat,
        discounts=report.totals.discounts,
        voids_count=report.totals.voids_count,
        voids_amount=report.totals.voids_amount,
        refunds_count=report.totals.refunds_count,
        refunds_amount=report.totals.refunds_amount,
        partial_refunds_count=report.totals.returns_count,
        partial_refunds_amount=report.totals.returns_amount,
        expected_cash=shift.expected_cash if shift.expected_cash is not None else services.expected_cash_in(shift),
        by_method=[RowOut(label=r.label, count=r.count, amount=r.amount) for r in report.by_method],
        by_category=[RowOut(label=r.label, count=r.count, amount=r.amount) for r in report.by_category],
        by_producer=[RowOut(label=r.label, count=r.count, amount=r.amount) for r in report.by_producer],
        first_receipt=report.first_receipt,
        last_receipt=report.last_receipt,
        offline_sales=report.offline_sales,
        shortfall_sales=report.shortfall_sales,
    )


class BlocksIn(Schema):
    device_id: Text(64, min_length=1, pattern=r"^[\x21-\x7e]+$")


class BlockOut(Schema):
    first: int
    last: int


class BlocksOut(Schema):
    blocks: list[BlockOut]
    used: list[int]


@router.post(
    "/pos/registers/{code}/number-blocks",
    response={200: BlocksOut, **errors(404)},
    summary="Reserve receipt numbers for a device (returns its unfinished blocks; idempotent)",
)
def reserve_numbers(request: HttpRequest, code: RegisterCode, payload: BlocksIn):
    register = _register(request, code)
    numbers = services.reserve_number_block(register=register, device_id=payload.device_id, actor=acting_user(request))
    return BlocksOut(blocks=[BlockOut(first=b.first_number, last=b.last_number) for b in numbers.blocks],
                     used=numbers.used)  # fmt: skip


class ModifiersIn(Schema):
    temperature: Literal["hot", "iced"] | None = None
    sweetness: Annotated[int, Field(ge=0, le=100)] | None = None
    size: Text(30, pattern=r"^$|^[-a-zA-Z0-9_]+$") | None = None
    extras: list[Text(30, pattern=r"^[-a-zA-Z0-9_]+$")] = Field([], max_length=10)


class LineIn(Schema):
    variant_id: Id | None = None
    menu_item_id: Id | None = None
    quantity: Quantity
    unit_price: Money
    discount: Money = Decimal("0.00")
    modifiers: ModifiersIn = ModifiersIn()


class PaymentIn(Schema):
    method: Literal["cash", "promptpay", "card"]
    amount: PositiveMoney
    tendered: Money | None = None
    reference: Text(100) = ""


ReceiptNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]


class SaleIn(Schema):
    register_code: RegisterCode
    device_sale_id: uuid.UUID
    shift_id: Id
    receipt_number: ReceiptNumber
    sold_at: OffsetDatetime | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=services.MAX_LINES)
    payments: list[PaymentIn] = Field(min_length=1, max_length=services.MAX_PAYMENTS)
    bill_discount: Money = Decimal("0.00")
    recorded_offline: bool = False
    approval_pin: Text(8, pattern=r"^$|^[0-9]{4,8}$") = ""
    price_list: Text(64, pattern=r"^$|^[0-9a-f]+$") = Field(
        "", description="The version of /pos/catalog.json the register priced the sale with"
    )


class SaleLineOut(Schema):
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    total: Decimal
    modifiers: list
    shortfall_quantity: int


class SaleOut(Schema):
    id: int
    device_sale_id: uuid.UUID
    register_code: str
    receipt_number: int
    receipt_code: str
    sold_at: datetime
    status: str
    subtotal: Decimal
    bill_discount: Decimal
    total: Decimal
    vat: Decimal
    change_due: Decimal
    has_shortfall: bool
    recorded_offline: bool
    replayed: bool
    receipt_url: str
    lines: list[SaleLineOut]


def _sale_out(sale: Sale, *, replayed: bool = False) -> SaleOut:
    return SaleOut(
        id=sale.pk,
        device_sale_id=sale.device_sale_id,
        register_code=sale.register.code,
        receipt_number=sale.receipt_number,
        receipt_code=sale.receipt_code,
        sold_at=sale.sold_at,
        status=sale.status,
        subtotal=sale.subtotal,
        bill_discount=sale.bill_discount,
        total=sale.total,
        vat=sale.vat,
        change_due=sale.change_due,
        has_shortfall=sale.has_shortfall,
        recorded_offline=sale.recorded_offline,
        replayed=replayed,
        receipt_url=reverse("pos:receipt", args=[sale.pk]),
        lines=[
            SaleLineOut(
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                total=line.total,
                modifiers=line.modifiers,
                shortfall_quantity=line.shortfall_quantity,
            )
            for line in sale.lines.all()
        ],  # fmt: skip
    )


@router.post(
    "/pos/sales",
    response={200: SaleOut, 201: SaleOut, **errors(404, 409, 429)},
    summary="Record a paid sale; sending the same device_sale_id again returns the first (200) and changes nothing",
    description=(
        "Every line is priced from the server's prices: the current price or, for a sale recorded offline, the "
        "price list the register held (`price_list`, served within the last 3 days); any other price is refused "
        "(409 price_changed). A discount above the register's limit needs a manager's `approval_pin` online and "
        "offline alike (403 approval_required); too many wrong PINs lock approvals for a while (429 pin_locked)."
    ),
)
def post_sale(request: HttpRequest, payload: SaleIn):
    register = _register(request, payload.register_code)
    data = services.SaleInput(
        device_sale_id=payload.device_sale_id,
        shift_id=payload.shift_id,
        receipt_number=payload.receipt_number,
        sold_at=payload.sold_at,
        lines=[
            services.LineInput(
                variant_id=line.variant_id,
                menu_item_id=line.menu_item_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                modifiers=line.modifiers.dict(exclude_none=True),
            )
            for line in payload.lines
        ],  # fmt: skip
        payments=[
            services.PaymentInput(method=p.method, amount=p.amount, tendered=p.tendered, reference=p.reference)
            for p in payload.payments
        ],
        bill_discount=payload.bill_discount,
        recorded_offline=payload.recorded_offline,
        approval_pin=payload.approval_pin,
        price_list=payload.price_list,
    )
    recorded = services.record_sale(register=register, actor=acting_user(request), data=data)
    return Status(201 if recorded.created else 200, _sale_out(recorded.sale, replayed=not recorded.created))


class VoidIn(Schema):
    reason: Text(300, min_length=1, pattern=NOT_BLANK)
    manager_pin: Text(8, pattern=r"^[0-9]{4,8}$")


@router.post(
    "/pos/sales/{sale_id}/void",
    response={200: SaleOut, **errors(404, 409, 429)},
    summary="Void or refund a sale with a manager's PIN",
)
def void_sale(request: HttpRequest, sale_id: Id, payload: VoidIn):
    require_permission(request, TILL)
    sale = get_object_or_404(Sale, pk=sale_id)
    services.void_sale(sale=sale, reason=payload.reason, manager_pin=payload.manager_pin, actor=acting_user(request))
    return _sale_out(Sale.objects.select_related("register").get(pk=sale.pk))


class ReturnedLineIn(Schema):
    line_id: Id
    quantity: Quantity


class RefundLinesIn(Schema):
    lines: list[ReturnedLineIn] = Field(min_length=1, max_length=services.MAX_LINES)
    reason: Text(300, min_length=1, pattern=NOT_BLANK)
    manager_pin: Text(8, pattern=r"^[0-9]{4,8}$")


class ReturnedLineOut(Schema):
    line_id: int
    name: str
    quantity: int
    amount: Money


class PartialRefundOut(Schema):
    id: int
    sale_id: int
    sale_status: str
    amount: Money = Field(description="Paid back in cash from the open shift's drawer")
    credit_note: str = Field(description="The credit note's number")
    credit_note_id: uuid.UUID = Field(description="The credit note at GET /api/v1/tax/documents/{id}")
    reason: str
    done_at: datetime
    lines: list[ReturnedLineOut]


@router.post(
    "/pos/sales/{sale_id}/refund-lines",
    response={201: PartialRefundOut, **errors(404, 409, 429)},
    summary="Refund some units of some lines of a sale with a manager's PIN",
    description=(
        "A partial refund: a credit note against the sale's tax invoice credits the units line by line (at each "
        "line's value per unit, its bill discount share taken off); the amount is paid back in cash from the "
        "register's open shift; the goods go back on the shelf. When nothing is left, the sale is refunded. "
        "A refusal (409: more units than are left, an unknown line, no open shift, a voided sale; 403 a wrong "
        "PIN; 429 too many wrong PINs) changes nothing."
    ),
)
def refund_sale_lines(request: HttpRequest, sale_id: Id, payload: RefundLinesIn):
    require_permission(request, TILL)
    sale = get_object_or_404(Sale.objects.select_related("register"), pk=sale_id)
    record = services.refund_sale_lines(
        sale=sale,
        lines=[services.ReturnedUnits(line_id=line.line_id, quantity=line.quantity) for line in payload.lines],
        reason=payload.reason,
        manager_pin=payload.manager_pin,
        actor=acting_user(request),
    )
    record.sale.refresh_from_db()
    return Status(
        201,
        PartialRefundOut(
            id=record.pk,
            sale_id=sale.pk,
            sale_status=record.sale.status,
            amount=record.amount,
            credit_note=record.credit_note.code,
            credit_note_id=record.credit_note.public_id,
            reason=record.reason,
            done_at=record.done_at,
            lines=[
                ReturnedLineOut(
                    line_id=line.sale_line_id, name=line.sale_line.name, quantity=line.quantity, amount=line.amount
                )
                for line in record.lines.select_related("sale_line")
            ],  # fmt: skip
        ),
    )


class PrintOut(Schema):
    printed: bool
    bytes_sent: int


@router.post(
    "/pos/sales/{sale_id}/print",
    response={200: PrintOut, **errors(404, 409)},
    summary="Print the receipt on the register's printer",
)
def print_sale(request: HttpRequest, sale_id: Id):
    require_permission(request, TILL)
    sale = selectors.sale_for_receipt(sale_id)
    if sale is None:
        raise Http404
    if not sale.register.printer_host:
        raise InvalidSale(_("This register has no receipt printer."))
    sent = printing.print_receipt(sale=sale, host=sale.register.printer_host, port=sale.register.printer_port)
    return PrintOut(printed=True, bytes_sent=sent)


class ItemOut(Schema):
    id: int
    barcode: str
    sku: str
    price: Decimal
    name_th: str
    name_en: str
    producer_th: str = Field("", description="The producer's name, to tell apart products of the same name")
    producer_en: str = ""
    image: str = Field("", description="A small picture (JPEG, 4:3) or the category's placeholder (SVG)")


@router.get("/pos/lookup", response={200: ItemOut, **errors(404)}, summary="The item with a barcode (the scanner path)")
def lookup(request: HttpRequest, code: Text(40, min_length=1)):
    require_permission(request, TILL)
    variant = selectors.variant_for_barcode(code)
    if variant is None:
        raise Http404
    return selectors.variant_rows([variant])[0]


@router.get("/pos/search", response=list[ItemOut], summary="Items by name")
def search(request: HttpRequest, q: Text(100)):
    require_permission(request, TILL)
    return selectors.variant_rows(selectors.search_variants(q))


class QrOut(Schema):
    payload: str
    svg: str
    amount: Decimal


@router.get("/pos/promptpay", response={200: QrOut, **errors(409)}, summary="A PromptPay QR for an exact amount")
def promptpay_qr(request: HttpRequest, amount: PositiveMoney):
    require_permission(request, TILL)
    try:
        qr = payment_services.promptpay_qr(amount)
    except DomainError as error:  # no PromptPay ID, or an amount PromptPay cannot ask for
        raise InvalidSale(error.message) from None
    return QrOut(payload=qr.payload, svg=qr.svg(scale=5), amount=qr.amount)


def z_report_pdf_response(shift: Shift) -> HttpResponse:
    from otop.pos.documents import z_report_pdf

    return pdf_response(z_report_pdf(shift), f"z-report-{shift.register.code}-{shift.pk}.pdf")
