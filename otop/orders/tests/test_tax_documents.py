"""Orders get their tax documents: abbreviated when paid, full when asked for (checkout, API, order page
within the month), a credit note on refund; a bad tax ID is refused at checkout and leaves nothing behind."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from otop.inventory.models import SoldItem
from otop.orders import services, tax_documents
from otop.orders.errors import InvalidOrder, TransitionNotAllowed
from otop.orders.models import Order
from otop.orders.tests.test_api import order_body
from otop.payments.models import Refund
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import DocumentKind, InvoiceRequest, TaxDocument

COMPANY = tax_documents.tax.Buyer(
    name="บริษัท ตะกร้าของขวัญ จำกัด", address="ถนนมิตรภาพ ขอนแก่น 40000", tax_id="0105551234567", branch="00001"
)
D = Decimal
CUSTOMER = services.CustomerDetails(name="ลูกค้า", phone="0812223333")


def place(**extra):
    return services.place_order(items=[("SILK-1", 1), ("RICE-1", 2)], customer=CUSTOMER, delivery_method="pickup",
                                **extra)  # fmt: skip


def test_a_paid_order_gets_an_abbreviated_invoice_of_its_channel_and_a_refund_a_credit_note(shop, make_user):
    staff = make_user("staff")
    order = place()
    assert not TaxDocument.objects.exists()
    services.confirm_promptpay_payment(order=order, actor=staff)
    invoice = tax_documents.invoice_of(order)
    assert invoice.kind == DocumentKind.ABBREVIATED and invoice.code.startswith("WEB-AB-")
    assert (invoice.total, invoice.source_code) == (order.total, order.number) == (Decimal("1411.00"), order.number)
    services.change_status(order=order, to_status=Order.Status.REFUNDED, actor=staff, note="ลูกค้าเปลี่ยนใจ")
    note = TaxDocument.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.refers_to == invoice and note.total == order.total and note.reason == "ลูกค้าเปลี่ยนใจ"


def test_a_business_buyer_asks_at_checkout_and_gets_a_full_invoice_with_its_tax_id_and_branch(shop, make_user):
    order = place(tax_invoice=COMPANY)
    services.confirm_promptpay_payment(order=order, actor=make_user("staff"))
    invoice = tax_documents.invoice_of(order)
    assert invoice.kind == DocumentKind.FULL and invoice.code.startswith("TI-")
    assert (invoice.buyer_tax_id, invoice.buyer_branch_label) == ("0105551234567", "สาขาที่ 00001")
    assert invoice.net + invoice.vat == invoice.total == order.total


def test_a_partial_refund_credits_part_of_the_invoice(shop, make_user):
    order = place(tax_invoice=COMPANY)
    services.confirm_promptpay_payment(order=order, actor=make_user("staff"))
    note = tax_documents.credit_refund(order=order, actor=None, reason="ข้าวชำรุด 1 ถุง", amount=Decimal("80.25"),
                                       now=timezone.now())  # fmt: skip
    assert note.refers_to.kind == DocumentKind.FULL
    assert (note.original_value, note.corrected_value, note.total) == (
        Decimal("1411.00"), Decimal("1330.75"), Decimal("80.25"),
    )  # fmt: skip


def test_a_bad_tax_id_at_checkout_is_refused_with_its_field_and_nothing_is_left_behind(shop):
    with pytest.raises(InvalidOrder) as refused:
        place(tax_invoice=tax_documents.tax.Buyer(name="บริษัท", address="ขอนแก่น", tax_id="0105551234568"))
    assert "tax_invoice.tax_id" in refused.value.fields
    assert not Order.objects.exists() and not InvoiceRequest.objects.exists()


def test_a_full_invoice_later_from_the_order_page_replaces_the_abbreviated_one_within_the_month(shop, make_user):
    order = place()
    services.confirm_promptpay_payment(order=order, actor=make_user("staff"))
    abbreviated = tax_documents.invoice_of(order)
    full = tax_documents.request_full_invoice(order=order, buyer=COMPANY, actor=None)
    abbreviated.refresh_from_db()
    assert abbreviated.status == TaxDocument.Status.CANCELLED and full.kind == DocumentKind.FULL
    assert tax_documents.request_full_invoice(order=order, buyer=COMPANY, actor=None).pk == full.pk
    other = place()
    services.confirm_promptpay_payment(order=other, actor=None)
    with pytest.raises(InvalidTaxDocument):
        tax_documents.request_full_invoice(order=other, buyer=COMPANY, actor=None,
                                           now=timezone.now() + timedelta(days=40))  # fmt: skip
    assert tax_documents.invoice_of(other).kind == DocumentKind.ABBREVIATED


def test_the_order_api_accepts_a_tax_invoice_request_and_checks_the_tax_id(client, shop):
    body = order_body(tax_invoice={"name": "บริษัท ตะกร้าของขวัญ จำกัด", "address": "ขอนแก่น", "tax_id": "0105551234568"})
    answer = client.post("/api/v1/orders", body, content_type="application/json")
    assert answer.status_code == 409, answer.content  # well-formed, refused by the checksum rule
    assert "tax_invoice.tax_id" in answer.json()["error"]["fields"]
    assert not Order.objects.exists()
    body["tax_invoice"]["tax_id"] = "0105551234567"
    answer = client.post("/api/v1/orders", body, content_type="application/json")
    assert answer.status_code == 201
    order = Order.objects.get(number=answer.json()["number"])
    assert InvoiceRequest.objects.get(source_id=str(order.pk)).buyer_branch == "00000"


def test_a_partial_refund_per_line_credits_those_units_and_a_refund_of_the_rest_takes_only_the_rest(shop, make_user):
    staff = make_user("staff")
    order = place(tax_invoice=COMPANY)
    services.confirm_promptpay_payment(order=order, actor=staff)
    silk, rice = order.lines.order_by("id")
    note = services.refund_order_lines(
        order=order, reason="ข้าวชำรุด 1 ถุง", actor=staff, method=Refund.Method.TRANSFER, transfer_reference="KB-1",
        lines=[services.RefundLine(line_id=rice.pk, quantity=1), services.RefundLine(line_id=silk.pk, amount=D("50"))],
    )  # fmt: skip
    invoice = tax_documents.invoice_of(order)
    assert note.refers_to == invoice and note.total == D("130.25")
    assert [(line.credits_line.name, line.quantity, line.total) for line in note.lines.all()] == [
        (rice.name_th, 1, D("80.25")), (silk.name_th, 0, D("50.00")),
    ]  # fmt: skip
    returned = SoldItem.objects.filter(kind=SoldItem.Kind.RETURN)
    assert [(item.quantity, item.reference) for item in returned] == [(1, f"order:{order.number}:{note.code}")]
    rice.refresh_from_db()
    assert rice.refunded_quantity == 1 and order.events.last().note.startswith("คืนเงิน ฿130.25")
    assert Refund.objects.get().amount == D("130.25")  # the credit note's total went back to the buyer

    services.change_status(order=order, to_status=Order.Status.REFUNDED, actor=staff, note="คืนทั้งหมด")
    rest = TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).exclude(pk=note.pk).get()
    assert note.total + rest.total == invoice.total
    assert sorted(returned.values_list("quantity", flat=True)) == [1, 1, 1]  # 1 rice before, 1 silk + 1 rice now


def test_a_partial_refund_beyond_a_line_or_of_an_unpaid_order_is_refused_and_changes_nothing(shop, make_user):
    order = place()
    first = order.lines.first()
    with pytest.raises(TransitionNotAllowed):
        services.refund_order_lines(order=order, reason="x", actor=None, method="transfer", transfer_reference="R",
                                    lines=[services.RefundLine(line_id=first.pk, quantity=1)])  # fmt: skip
    services.confirm_promptpay_payment(order=order, actor=None)
    rice = order.lines.get(sku="RICE-1")
    with pytest.raises(InvalidTaxDocument) as refused:
        services.refund_order_lines(order=order, reason="x", actor=None, method="transfer", transfer_reference="R",
                                    lines=[services.RefundLine(line_id=rice.pk, amount=D("160.51"))])  # fmt: skip
    assert f"lines.{rice.pk}" in refused.value.fields
    rice.refresh_from_db()
    assert rice.refunded_quantity == 0 and not TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).exists()
    assert not SoldItem.objects.filter(kind=SoldItem.Kind.RETURN).exists() and not Refund.objects.exists()


def test_staff_refund_part_of_an_order_from_its_page(shop, client_for):
    order = place()
    services.confirm_promptpay_payment(order=order, actor=None)
    rice = order.lines.get(sku="RICE-1")
    client = client_for("manager")
    page = client.get(f"/orders/{order.number}/")
    assert b"refund-lines" in page.content and tax_documents.invoice_of(order).code.encode() in page.content
    money = {"method": "transfer", "transfer_reference": "SCB-9", "confirm": "yes"}
    answer = client.post(f"/orders/{order.number}/refund/", {f"quantity-{rice.pk}": "2", "reason": "ชำรุด", **money})
    assert answer.status_code == 302
    note = TaxDocument.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.total == D("160.50") and note.reason == "ชำรุด"
    assert Refund.objects.get().amount == D("160.50")
    answer = client.post(f"/orders/{order.number}/refund/", {f"quantity-{rice.pk}": "1", "reason": "ซ้ำ", **money})
    assert TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).count() == 1  # nothing left of that line
    assert Refund.objects.count() == 1
    assert client_for("customer").post(f"/orders/{order.number}/refund/", {}).status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, "login"), ("customer", 403), ("producer", 403), ("committee", 403), ("cashier", 403),
     ("province_officer", 403), ("staff", 302), ("manager", 302)],
)  # fmt: skip
def test_who_may_refund_part_of_an_order(shop, client_for, role, expected):
    order = place()
    answer = client_for(role).post(f"/orders/{order.number}/refund/", {"reason": "x"})
    if expected == "login":
        assert answer.status_code == 302 and "login" in answer["Location"]
    else:
        assert answer.status_code == expected
        assert expected == 403 or answer["Location"] == f"/orders/{order.number}/"
    assert not TaxDocument.objects.exists()
