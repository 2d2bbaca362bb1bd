"""A supervisor refunds some units of some lines of a till sale (a partial refund): a per-line credit note
against the sale's invoice, the cash paid back from the open shift's drawer, the goods back on the shelf and
out of the producers' sales, the Z-report net of it; a later void takes back only the rest; a refusal
changes nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from otop.inventory.models import SoldItem
from otop.inventory.tests.factories import VariantFactory
from otop.payments.models import Refund
from otop.pos import selectors, services
from otop.pos.documents import z_report_pdf
from otop.pos.errors import AlreadyVoided, ApprovalRequired, InvalidSale
from otop.pos.models import Sale, SaleReturn
from otop.pos.tests.test_shop_sales import counter, on_shelf, shelf  # noqa: F401 - the fixture
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import DocumentKind, DocumentSeries, TaxDocument
from otop.tax.tests.test_pdf import pdf_text, same_glyphs

pytestmark = pytest.mark.django_db
PIN = "987654"


@pytest.fixture
def sold(counter, make_user):  # noqa: F811
    """3 silks at 350.00 and 2 scarves at 199.99 less a 10.00 bill discount (1,439.98), paid 1,000.00 in cash
    and 439.98 by card."""
    register, cashier, shift = counter
    services.set_manager_pin(user=make_user("manager"), pin=PIN)
    silk, scarf = VariantFactory(price=Decimal("350.00")), VariantFactory(price=Decimal("199.99"))
    on_shelf(silk, 5)
    on_shelf(scarf, 4)
    data = services.SaleInput(
        device_sale_id=uuid.uuid4(), shift_id=shift.pk, receipt_number=1,
        lines=[services.LineInput(variant_id=silk.pk, quantity=3, unit_price=silk.price),
               services.LineInput(variant_id=scarf.pk, quantity=2, unit_price=scarf.price)],
        payments=[services.PaymentInput(method="cash", amount=Decimal("1000.00"), tendered=Decimal("1000.00")),
                  services.PaymentInput(method="card", amount=Decimal("439.98"), reference="APPROVAL-1")],
        bill_discount=Decimal("10.00"),
    )  # fmt: skip
    sale = services.record_sale(register=register, actor=cashier, data=data).sale
    assert sale.total == Decimal("1439.98")
    silk_line, scarf_line = sale.lines.order_by("position")
    return {"sale": sale, "cashier": cashier, "shift": shift, "silk": silk, "scarf": scarf,
            "silk_line": silk_line, "scarf_line": scarf_line}  # fmt: skip


def refund(sold, *units, pin=PIN, reason="ชำรุด"):
    return services.refund_sale_lines(
        sale=Sale.objects.get(pk=sold["sale"].pk),
        lines=[services.ReturnedUnits(line_id=line.pk, quantity=quantity) for line, quantity in units],
        reason=reason,
        manager_pin=pin,
        actor=sold["cashier"],
    )


def state(sold) -> tuple:
    """Everything a partial refund changes."""
    return (
        Sale.objects.get(pk=sold["sale"].pk).status,
        SaleReturn.objects.count(),
        tuple(TaxDocument.objects.order_by("pk").values_list("code", "status", "total")),
        tuple(DocumentSeries.objects.order_by("pk").values_list("next_number", flat=True)),
        tuple(Refund.objects.values_list("amount", flat=True)),
        SoldItem.objects.filter(kind=SoldItem.Kind.RETURN).count(),
        shelf(sold["silk"]),
        shelf(sold["scarf"]),
        services.expected_cash_in(sold["shift"]),
    )


def test_units_are_refunded_to_the_satang_with_a_per_line_credit_note_cash_and_goods_back(sold):
    record = refund(sold, (sold["silk_line"], 1), (sold["scarf_line"], 1))
    # Line values less their bill-discount shares: silk 1,050.00 − 7.24 = 1,042.76 → 1 of 3 = 347.59;
    # scarf 399.98 − 2.76 = 397.22 → 1 of 2 = 198.61.
    assert record.amount == Decimal("546.20")
    note = record.credit_note
    invoice = TaxDocument.objects.get(kind=DocumentKind.ABBREVIATED)
    assert (note.kind, note.refers_to, note.reason, note.total, note.vat) == (
        DocumentKind.CREDIT_NOTE, invoice, "ชำรุด", Decimal("546.20"), Decimal("35.73"),
    )  # fmt: skip
    assert (note.original_value, note.corrected_value) == (Decimal("1439.98"), Decimal("893.78"))
    assert [(line.credits_line.position, line.quantity, line.total) for line in note.lines.order_by("position")] == [
        (1, 1, Decimal("347.59")), (2, 1, Decimal("198.61")),
    ]  # fmt: skip
    assert [(line.sale_line_id, line.quantity, line.amount) for line in record.lines.all()] == [
        (sold["silk_line"].pk, 1, Decimal("347.59")), (sold["scarf_line"].pk, 1, Decimal("198.61")),
    ]  # fmt: skip
    # Paid back in cash from the drawer: 1,000.00 start + 1,000.00 cash taken − 546.20.
    assert services.expected_cash_in(sold["shift"]) == Decimal("1453.80")
    assert list(Refund.objects.values_list("payment__method", "method", "amount")) == [
        ("cash", "cash", Decimal("546.20"))
    ]
    assert (shelf(sold["silk"]), shelf(sold["scarf"])) == (3, 3)
    returned = SoldItem.objects.filter(kind=SoldItem.Kind.RETURN, reference=f"{sold['sale'].receipt_code}:{note.code}")
    assert sorted(returned.values_list("variant_id", "quantity")) == sorted(
        [(sold["silk"].pk, 1), (sold["scarf"].pk, 1)]
    )
    assert Sale.objects.get(pk=sold["sale"].pk).status == Sale.Status.COMPLETED

    report = selectors.z_report(sold["shift"])
    assert (report.totals.returns_count, report.totals.returns_amount) == (1, Decimal("546.20"))
    assert report.totals.gross == Decimal("893.78")  # 1,439.98 − 546.20
    assert sum(row.amount for row in report.by_producer) == Decimal("893.78")
    assert sum(row.amount for row in report.by_category) == Decimal("893.78")
    text = pdf_text(z_report_pdf(sold["shift"]))
    assert same_glyphs("คืนเงินบางส่วน (เงินสด) (1)") + "฿546.20" in text, text
    closed = services.close_shift(shift=sold["shift"], counted_cash=Decimal("1453.80"), actor=sold["cashier"])
    assert (closed.expected_cash, closed.variance) == (Decimal("1453.80"), Decimal("0.00"))


def test_a_void_after_a_partial_refund_takes_back_only_the_rest(sold):
    refund(sold, (sold["silk_line"], 1), (sold["scarf_line"], 1))
    services.void_sale(sale=sold["sale"], reason="ลูกค้าคืนทั้งหมด", manager_pin=PIN, actor=sold["cashier"])
    sale = Sale.objects.get(pk=sold["sale"].pk)
    assert sale.status == Sale.Status.VOIDED
    assert (shelf(sold["silk"]), shelf(sold["scarf"])) == (5, 4)  # every unit back once
    notes = list(
        TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).order_by("pk").values_list("total", flat=True)
    )
    assert notes == [Decimal("546.20"), Decimal("893.78")]  # together the invoice's 1,439.98
    totals = selectors.shift_totals(sold["shift"])
    assert (totals.voids_count, totals.voids_amount) == (1, Decimal("893.78"))
    assert totals.gross == Decimal("0.00")
    # The cash taken (1,000.00) is all back out of the drawer: 546.20 then 453.80; the card's 439.98 goes
    # back on the terminal.
    assert totals.cash_out == Decimal("1000.00")
    assert services.expected_cash_in(sold["shift"]) == Decimal("1000.00")


def test_refunding_every_unit_in_parts_refunds_the_sale(sold):
    refund(sold, (sold["silk_line"], 2))
    last = refund(sold, (sold["silk_line"], 1), (sold["scarf_line"], 2))
    assert Sale.objects.get(pk=sold["sale"].pk).status == Sale.Status.REFUNDED
    assert sum(SaleReturn.objects.values_list("amount", flat=True)) == Decimal("1439.98")
    assert last.amount == Decimal("1439.98") - SaleReturn.objects.first().amount
    # 1,000.00 of cash and then 439.98 of the card payment, all handed back from the drawer.
    assert services.expected_cash_in(sold["shift"]) == Decimal("1000.00") + Decimal("1000.00") - Decimal("1439.98")
    assert (shelf(sold["silk"]), shelf(sold["scarf"])) == (5, 4)
    with pytest.raises(AlreadyVoided):
        refund(sold, (sold["scarf_line"], 1))


@pytest.mark.parametrize(
    ("units", "pin", "reason", "error", "field"),
    [
        ((("silk_line", 3), ("scarf_line", 3)), PIN, "ชำรุด", InvalidTaxDocument, "scarf_line"),  # 2 scarves sold
        ((("silk_line", 1),), "111111", "ชำรุด", ApprovalRequired, None),
        ((("silk_line", 1),), PIN, "  ", InvalidSale, "reason"),
        ((("silk_line", 0),), PIN, "ชำรุด", InvalidSale, "lines"),
    ],
)
def test_a_refusal_changes_nothing(sold, units, pin, reason, error, field):
    refund(sold, (sold["silk_line"], 1))  # something credited already
    before = state(sold)
    with pytest.raises(error) as refused:
        refund(sold, *((sold[name], quantity) for name, quantity in units), pin=pin, reason=reason)
    if field:
        expected = f"lines.{sold[field].pk}" if field.endswith("_line") else field
        assert expected in refused.value.fields, refused.value.fields
    assert state(sold) == before


def test_more_units_than_are_left_after_an_earlier_refund_is_refused(sold):
    refund(sold, (sold["silk_line"], 2))
    before = state(sold)
    with pytest.raises(InvalidTaxDocument) as refused:
        refund(sold, (sold["silk_line"], 2))
    assert refused.value.fields == {f"lines.{sold['silk_line'].pk}": ["รายการนี้เหลือให้ลดหนี้ได้อีกเพียง 1 หน่วย"]}
    assert state(sold) == before


def test_the_supervisor_refunds_from_the_receipt_page_in_thai(sold, client):
    client.force_login(sold["cashier"])
    sale = sold["sale"]
    assert f"/pos/receipts/{sale.pk}/refund-lines/" in client.get(f"/pos/receipts/{sale.pk}/").content.decode()
    page = f"/pos/receipts/{sale.pk}/refund-lines/"
    form = client.get(page)
    assert form.status_code == 200 and "คืนเงินบางรายการ" in form.content.decode()
    before = state(sold)
    too_many = client.post(page, {f"line_{sold['scarf_line'].pk}": "3", "reason": "ชำรุด", "manager_pin": PIN})
    assert too_many.status_code == 400 and f"line_{sold['scarf_line'].pk}" in too_many.context["form"].errors
    wrong_pin = client.post(page, {f"line_{sold['scarf_line'].pk}": "1", "reason": "ชำรุด", "manager_pin": "111111"})
    assert wrong_pin.status_code == 400 and "PIN" in wrong_pin.content.decode()
    assert state(sold) == before
    done = client.post(page, {f"line_{sold['scarf_line'].pk}": "1", "reason": "ชำรุด", "manager_pin": PIN}, follow=True)
    note = SaleReturn.objects.get().credit_note
    assert "คืนเงินสด ฿198.61" in done.content.decode() and note.code in done.content.decode()
    assert note.code in client.get(page).content.decode()  # listed as refunded before


def test_the_api_refunds_lines_and_refuses_in_the_error_format(sold, client):
    client.force_login(sold["cashier"])
    url = f"/api/v1/pos/sales/{sold['sale'].pk}/refund-lines"
    body = {"lines": [{"line_id": sold["scarf_line"].pk, "quantity": 3}], "reason": "ชำรุด", "manager_pin": PIN}
    refused = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert refused.json()["error"]["fields"] == {
        f"lines.{sold['scarf_line'].pk}": ["Only 2 of this line are left to credit."]
    }
    assert not SaleReturn.objects.exists()
    body["lines"][0]["quantity"] = 1
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 201, done.content
    data = done.json()
    assert (data["amount"], data["sale_status"], data["lines"][0]["quantity"]) == ("198.61", "completed", 1)
    assert data["credit_note"] == SaleReturn.objects.get().credit_note.code
    z = client.get(f"/api/v1/pos/shifts/{sold['shift'].pk}/z-report").json()
    assert (z["partial_refunds_count"], z["partial_refunds_amount"]) == (1, "198.61")
    assert z["takings"] == "1241.37" and z["expected_cash"] == "1801.39"


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("customer", 403), ("producer", 403)])
def test_only_till_staff_reach_the_refund_page_and_api(sold, client_for, role, status):
    client = client_for(role)
    sale = sold["sale"]
    before = state(sold)
    page = client.post(f"/pos/receipts/{sale.pk}/refund-lines/",
                       {f"line_{sold['silk_line'].pk}": "1", "reason": "ชำรุด", "manager_pin": PIN})  # fmt: skip
    assert page.status_code == status
    body = {"lines": [{"line_id": sold["silk_line"].pk, "quantity": 1}], "reason": "ชำรุด", "manager_pin": PIN}
    api = client.post(f"/api/v1/pos/sales/{sale.pk}/refund-lines", body, content_type="application/json")
    assert api.status_code == (401 if role is None else 403)
    assert state(sold) == before
