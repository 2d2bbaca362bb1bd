"""A full tax invoice asked for on the web: at checkout (a collapsible section; the tax ID's check digit and the
branch checked, in Thai and English, a refusal changing nothing), through Meta's checkout link, and later from
the order page within the month it was paid in (the abbreviated invoice cancelled and referred to), refused
with a clear message after that month; the buyer downloads the PDFs through the order's signed link."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from otop.orders import services as order_services
from otop.orders.models import Order
from otop.orders.selectors import tracking_token
from otop.storefront.tests import test_checkout, test_meta_checkout
from otop.storefront.tests.test_checkout import _details
from otop.storefront.tests.test_meta_checkout import CHECKOUT
from otop.tax.models import DocumentKind, InvoiceRequest, TaxDocument
from otop.tax.tests.test_pdf import pdf_text, same_glyphs

COMPANY = {
    "tax_invoice-name": "บริษัท ตะกร้าของขวัญ จำกัด",
    "tax_invoice-address": "99 ถนนมิตรภาพ ขอนแก่น 40000",
    "tax_invoice-tax_id": "0105551234567",
    "tax_invoice-branch_kind": "branch",
    "tax_invoice-branch_number": "00001",
}

cart_client = test_checkout.cart_client  # the cart with two silks
shop = test_meta_checkout.shop  # Meta's catalogue


def test_the_checkout_has_a_closed_tax_invoice_section(cart_client):
    html = cart_client.get("/checkout/").content.decode()
    assert '<details class="tax-invoice" id="tax-invoice">' in html  # closed until opened
    assert "ใบกำกับภาษีเต็มรูป" in html and 'name="tax_invoice-tax_id"' in html and "สำนักงานใหญ่" in html


@pytest.mark.parametrize(
    ("changes", "field", "thai", "english"),
    [
        ({"tax_invoice-tax_id": "0105551234568"}, "tax_id", "หลักตรวจสอบ", "check digit"),
        ({"tax_invoice-tax_id": "12345"}, "tax_id", "13 หลัก", "13 digits"),
        ({"tax_invoice-branch_number": "12"}, "branch_number", "5 หลัก", "5 digits"),
        ({"tax_invoice-address": ""}, "address", "ที่อยู่", "address"),
        ({"tax_invoice-tax_id": ""}, "tax_id", "สาขา", "branch"),  # a branch without a tax ID
    ],
)
def test_a_bad_request_is_refused_in_thai_and_english_and_changes_nothing(cart_client, changes, field, thai, english):
    for prefix, expected in (("", thai), ("/en", english)):
        response = cart_client.post(f"{prefix}/checkout/", _details(**{**COMPANY, **changes}))
        assert response.status_code == 200
        errors = response.context["tax_form"].errors
        assert expected in str(errors[field]), errors
        html = response.content.decode()
        assert '<details class="tax-invoice" id="tax-invoice" open>' in html
    assert not Order.objects.exists() and not InvoiceRequest.objects.exists()
    assert response.context["cart"].count == 2  # the cart is kept


def test_a_business_buyer_gets_a_full_invoice_with_its_tax_id_and_branch_when_the_order_is_paid(cart_client):
    response = cart_client.post("/checkout/", _details(**COMPANY))
    assert response.status_code == 302
    order = Order.objects.get()
    request = InvoiceRequest.objects.get(source_id=str(order.pk))
    assert (request.buyer_tax_id, request.buyer_branch) == ("0105551234567", "00001")
    order_services.confirm_promptpay_payment(order=order, actor=None)
    invoice = TaxDocument.objects.get(source_id=str(order.pk))
    assert (invoice.kind, invoice.buyer_name, invoice.total) == ("full", COMPANY["tax_invoice-name"], order.total)


def test_an_empty_section_asks_for_nothing(cart_client):
    cart_client.post("/checkout/", _details(**{"tax_invoice-branch_kind": "head_office"}))
    order = Order.objects.get()
    order_services.confirm_promptpay_payment(order=order, actor=None)
    assert TaxDocument.objects.get().kind == DocumentKind.ABBREVIATED and not InvoiceRequest.objects.exists()


def test_metas_checkout_link_takes_a_tax_invoice_request_too(client, shop):
    client.get("/checkout/meta/?products=SCARF-RED%3A1&cart_origin=instagram", follow=True)
    person = {"tax_invoice-name": "นายสมชาย ใจดี", "tax_invoice-address": "ขอนแก่น 40000"}
    assert client.post("/checkout/", {**CHECKOUT, **person}).status_code == 302
    order = Order.objects.get()
    request = InvoiceRequest.objects.get(source_id=str(order.pk))
    assert order.channel == "instagram" and (request.buyer_name, request.buyer_tax_id) == ("นายสมชาย ใจดี", "")


def paid_order(client) -> tuple[Order, str]:
    client.post("/checkout/", _details())
    order = Order.objects.get()
    order_services.confirm_promptpay_payment(order=order, actor=None)
    return order, f"/orders/track/{order.number}/{tracking_token(order.number)}/"


def test_later_from_the_order_page_the_abbreviated_invoice_is_replaced_and_the_pdfs_download(cart_client):
    order, page = paid_order(cart_client)
    abbreviated = TaxDocument.objects.get()
    html = cart_client.get(page).content.decode()
    assert abbreviated.code in html and "ขอใบกำกับภาษีเต็มรูป" in html

    refused = cart_client.post(page + "tax-invoice/", {**COMPANY, "tax_invoice-tax_id": "0105551234568"})
    assert refused.status_code == 400 and "tax_id" in refused.context["tax_form"].errors
    abbreviated.refresh_from_db()
    assert not abbreviated.is_cancelled and TaxDocument.objects.count() == 1

    answer = cart_client.post(page + "tax-invoice/", COMPANY, follow=True)
    full = TaxDocument.objects.get(kind=DocumentKind.FULL)
    abbreviated.refresh_from_db()
    assert abbreviated.is_cancelled and full.replaces == abbreviated
    assert f"ใบกำกับภาษีเต็มรูปเลขที่ {full.code} พร้อมแล้ว" in answer.content.decode()

    pdf = cart_client.get(f"{page}tax/{full.public_id}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in ("ใบกำกับภาษี", full.code, abbreviated.code, "0105551234567", "สาขาที่ 00001", "สองพันห้าร้อยเอ็ดบาทถ้วน"):
        assert same_glyphs(expected) in text, expected
    english = pdf_text(cart_client.get(f"{page}tax/{full.public_id}.pdf?lang=en").content)
    assert "Taxinvoice" in english
    # another order's link, or a made-up signature, shows nothing
    assert cart_client.get(f"/orders/track/{order.number}/forged/tax/{full.public_id}.pdf").status_code == 404


def test_after_the_month_of_payment_the_request_is_refused_with_a_clear_message(cart_client):
    order, page = paid_order(cart_client)
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=40))
    html = cart_client.get(page).content.decode()
    assert "ภายในเดือนที่ชำระเงินเท่านั้น" in html and 'name="tax_invoice-name"' not in html
    answer = cart_client.post(page + "tax-invoice/", COMPANY, follow=True)
    assert "ภายในเดือนที่ชำระเงินเท่านั้น" in answer.content.decode()
    assert TaxDocument.objects.get().kind == DocumentKind.ABBREVIATED and not TaxDocument.objects.get().is_cancelled
    english = cart_client.get("/en" + page).content.decode()
    assert "only within the month the order was paid in" in english


def test_asked_before_payment_it_is_kept_until_the_order_is_paid(cart_client):
    cart_client.post("/checkout/", _details())
    order = Order.objects.get()
    page = f"/orders/track/{order.number}/{tracking_token(order.number)}/"
    cart_client.post(page + "tax-invoice/", COMPANY)
    assert not TaxDocument.objects.exists() and InvoiceRequest.objects.filter(source_id=str(order.pk)).exists()
    order_services.confirm_promptpay_payment(order=order, actor=None)
    assert TaxDocument.objects.get().kind == DocumentKind.FULL
    assert Decimal(TaxDocument.objects.get().total) == order.total
