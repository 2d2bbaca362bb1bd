"""Sales that touch no stock (the tea menu): idempotency, numbering, approvals, shifts, Z-report."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from otop.payments.models import Payment
from otop.pos import selectors, services
from otop.pos.errors import ApprovalRequired, InvalidSale, ReceiptNumberNotReserved, ShiftAlreadyOpen
from otop.pos.models import NumberBlock, Sale, Shift
from otop.pos.tests.factories import MenuItemFactory, MenuOptionFactory, TeaRegisterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(make_user):
    register = TeaRegisterFactory()
    cashier = make_user("cashier")
    shift = services.open_shift(register=register, actor=cashier, starting_cash=Decimal("500.00"))
    numbers = services.reserve_number_block(register=register, device_id="tablet-1", actor=cashier)
    return register, cashier, shift, numbers


def iced_tea_sale(shift, number, *, device_sale_id=None, paid="55.00", tendered=None, **extra):
    tea_item = MenuItemFactory(register=shift.register) if not hasattr(shift, "_tea") else shift._tea
    shift._tea = tea_item
    MenuOptionFactory(register=shift.register) if not shift.register.menu_options.exists() else None
    return services.SaleInput(
        device_sale_id=device_sale_id or uuid.uuid4(),
        shift_id=shift.pk,
        receipt_number=number,
        lines=[
            services.LineInput(
                menu_item_id=tea_item.pk,
                quantity=1,
                unit_price=Decimal("55.00"),
                modifiers={"temperature": "iced", "sweetness": 50, "size": "large"},
            )
        ],
        payments=[services.PaymentInput(method="cash", amount=Decimal(paid), tendered=tendered)],
        **extra,
    )


def test_a_device_gets_a_block_and_asking_again_returns_the_same_block(tea):
    register, cashier, _shift, numbers = tea
    assert [(b.first_number, b.last_number) for b in numbers.blocks] == [(1, 50)]
    again = services.reserve_number_block(register=register, device_id="tablet-1", actor=cashier)
    assert [(b.first_number, b.last_number) for b in again.blocks] == [(1, 50)]
    other = services.reserve_number_block(register=register, device_id="tablet-2", actor=cashier)
    assert [(b.first_number, b.last_number) for b in other.blocks] == [(51, 100)]
    assert NumberBlock.objects.count() == 2


def test_an_iced_mulberry_tea_at_half_sweetness_is_recorded_with_its_options_and_change(tea):
    register, cashier, shift, _numbers = tea
    recorded = services.record_sale(
        register=register,
        actor=cashier,
        data=iced_tea_sale(shift, 1, paid="55.00", tendered=Decimal("100.00")),
    )
    sale = recorded.sale
    assert recorded.created
    assert sale.receipt_code == "T1-000001"
    assert sale.total == Decimal("55.00")
    assert sale.vat == Decimal("3.60")
    assert sale.change_due == Decimal("45.00")
    line = sale.lines.get()
    assert line.modifiers == [
        {"kind": "temperature", "code": "iced"},
        {"kind": "sweetness", "percent": 50},
        {"kind": "size", "code": "large", "name": "แก้วใหญ่", "price": "10.00"},
    ]
    assert not sale.needs_review


def test_replaying_a_sale_returns_the_first_and_creates_nothing(tea):
    register, cashier, shift, _numbers = tea
    device_sale_id = uuid.uuid4()
    first = services.record_sale(
        register=register, actor=cashier, data=iced_tea_sale(shift, 1, device_sale_id=device_sale_id)
    )
    again = services.record_sale(
        register=register, actor=cashier, data=iced_tea_sale(shift, 1, device_sale_id=device_sale_id)
    )
    assert again.sale.pk == first.sale.pk
    assert not again.created
    assert Sale.objects.count() == 1
    assert Payment.objects.count() == 1


def test_a_number_outside_the_reserved_blocks_is_refused_and_nothing_is_saved(tea):
    register, cashier, shift, _numbers = tea
    with pytest.raises(ReceiptNumberNotReserved):
        services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 51))
    assert Sale.objects.count() == 0


def test_payments_must_settle_the_total_exactly(tea):
    register, cashier, shift, _numbers = tea
    with pytest.raises(InvalidSale):
        services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1, paid="54.99"))
    assert Sale.objects.count() == 0


def test_a_large_discount_needs_a_manager_pin(tea, make_user):
    register, cashier, shift, _numbers = tea
    boss = make_user("manager")
    services.set_manager_pin(user=boss, pin="432109")
    with pytest.raises(ApprovalRequired):
        services.record_sale(
            register=register,
            actor=cashier,
            data=iced_tea_sale(shift, 1, paid="40.00", bill_discount=Decimal("15.00"), approval_pin="0000"),
        )
    assert Sale.objects.count() == 0
    sale = services.record_sale(
        register=register,
        actor=cashier,
        data=iced_tea_sale(shift, 1, paid="40.00", bill_discount=Decimal("15.00"), approval_pin="432109"),
    ).sale
    assert sale.approved_by == boss
    assert sale.total == Decimal("40.00")
    assert boss.till_pin.pin_hash != "4321"


def test_a_cashier_cannot_hold_an_approval_pin(make_user):
    with pytest.raises(ApprovalRequired):
        services.set_manager_pin(user=make_user("cashier"), pin="123456")


def test_one_open_shift_per_register(tea):
    register, cashier, _shift, _numbers = tea
    with pytest.raises(ShiftAlreadyOpen):
        services.open_shift(register=register, actor=cashier, starting_cash=Decimal("0.00"))
    assert Shift.objects.count() == 1


def test_closing_a_shift_records_expected_cash_and_variance_and_the_z_report_adds_up(tea, make_user):
    register, cashier, shift, _numbers = tea
    services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1, tendered=Decimal("100.00")))
    card = iced_tea_sale(shift, 2)
    card = services.SaleInput(**{**card.__dict__, "payments": [
        services.PaymentInput(method="card", amount=Decimal("55.00"), reference="T-778")]})  # fmt: skip
    services.record_sale(register=register, actor=cashier, data=card)
    closed = services.close_shift(shift=shift, counted_cash=Decimal("554.00"), actor=cashier)
    assert closed.expected_cash == Decimal("555.00")
    assert closed.variance == Decimal("-1.00")
    report = selectors.z_report(closed)
    assert [(row.label, row.count, row.amount) for row in report.by_method] == [
        ("บัตร", 1, Decimal("55.00")),
        ("เงินสด", 1, Decimal("55.00")),
    ]
    assert [(row.label, row.amount) for row in report.by_category] == [("เครื่องดื่ม", Decimal("110.00"))]
    assert report.totals.gross == Decimal("110.00")
    assert report.first_receipt == "T1-000001"
    assert report.last_receipt == "T1-000002"


def test_the_z_report_pdf_names_the_shift_figures(tea):
    import pypdfium2

    from otop.pos.documents import z_report_pdf

    register, cashier, shift, _numbers = tea
    services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1))
    closed = services.close_shift(shift=shift, counted_cash=Decimal("555.00"), actor=cashier)
    pdf = pypdfium2.PdfDocument(z_report_pdf(closed))
    page_text = pdf[0].get_textpage().get_text_range()
    assert "T1-000001" in page_text
    assert "฿555.00" in page_text
    assert "ร้านชาใบหม่อน" in page_text
    assert "เงินสด" in page_text


def test_a_full_tax_invoice_takes_the_next_number_of_its_own_series_once(tea):
    register, cashier, shift, _numbers = tea
    sale = services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1)).sale
    invoice = services.issue_tax_invoice(
        sale=sale, buyer_name="บริษัท ตัวอย่าง จำกัด", buyer_address="ขอนแก่น", buyer_tax_id="0105551234567",
        actor=cashier,
    )  # fmt: skip
    again = services.issue_tax_invoice(sale=sale, buyer_name="x", buyer_address="y", actor=cashier)
    year = timezone.localdate().year + 543
    assert invoice.code == f"TI-{year}-000001"
    assert (invoice.source_code, invoice.total, invoice.vat) == (sale.receipt_code, sale.total, sale.vat)
    assert again.pk == invoice.pk
