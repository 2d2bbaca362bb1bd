"""POST /api/v1/orders/{number}/tax-invoice: the buyer asks for a full tax invoice after checkout, as on the
order page, reaching the order by its tracking token or as the account that placed it. Paid: issued now (201),
the abbreviated invoice cancelled and referred to; unpaid: kept until payment (202); again: the same invoice
(200). Every refusal says why in the caller's language and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from otop.accounts.services import issue_api_token
from otop.orders import services as order_services
from otop.orders.models import Order
from otop.orders.tests.test_api import order_body
from otop.tax.models import DocumentKind, InvoiceRequest, TaxDocument
from otop.tax.tests.test_pdf import pdf_text, same_glyphs

COMPANY = {
    "name": "บริษัท ตะกร้าของขวัญ จำกัด",
    "address": "99 ถนนมิตรภาพ ขอนแก่น 40000",
    "tax_id": "0105551234567",
    "branch": "1",
}


def place(client: Client, **headers) -> tuple[Order, str]:
    response = client.post("/api/v1/orders", order_body(), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    data = response.json()
    token = parse_qs(urlsplit(data["tracking_url"]).query)["token"][0]
    return Order.objects.get(number=data["number"]), token


def ask(client: Client, order: Order, body: dict, *, token: str | None = None, **headers):
    query = f"?token={token}" if token else ""
    return client.post(
        f"/api/v1/orders/{order.number}/tax-invoice{query}", body, content_type="application/json", **headers
    )


def snapshot() -> tuple:
    return (
        tuple(TaxDocument.objects.order_by("pk").values_list("pk", "kind", "status", "cancel_reason")),
        tuple(InvoiceRequest.objects.order_by("pk").values_list("pk", "buyer_name", "buyer_tax_id")),
    )


def test_a_paid_order_gets_its_full_invoice_now_and_asking_again_answers_the_same(client, shop):
    order, token = place(client)
    order_services.confirm_promptpay_payment(order=order, actor=None)
    abbreviated = TaxDocument.objects.get()

    response = ask(client, order, COMPANY, token=token)
    assert response.status_code == 201, response.content
    data = response.json()
    full = TaxDocument.objects.get(kind=DocumentKind.FULL)
    assert data["status"] == "issued"
    assert data["message"] == f"ใบกำกับภาษีเต็มรูปเลขที่ {full.code} พร้อมแล้ว"
    document = data["document"]
    assert (document["id"], document["number"], document["kind"]) == (str(full.public_id), full.code, "full")
    assert document["buyer"] == {
        "name": COMPANY["name"], "address": COMPANY["address"], "tax_id": "0105551234567", "branch": "00001",
    }  # fmt: skip
    assert Decimal(document["total"]) == order.total == Decimal("1461.00")
    assert Decimal(document["vat"]) == Decimal("95.58")  # 1461.00 × 7/107, rounded once
    assert document["replaces"] == str(abbreviated.public_id)
    abbreviated.refresh_from_db()
    assert abbreviated.is_cancelled and full.code in abbreviated.cancel_reason

    pdf = client.get(data["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in ("ใบกำกับภาษี", full.code, "0105551234567", "สาขาที่ 00001"):
        assert same_glyphs(expected) in text, expected

    before = snapshot()
    again = ask(client, order, {**COMPANY, "name": "บริษัท อื่น จำกัด"}, token=token)
    assert again.status_code == 200
    assert again.json()["document"]["number"] == full.code
    assert snapshot() == before


def test_an_unpaid_order_keeps_the_request_until_it_is_paid(client, shop):
    order, token = place(client)
    response = ask(client, order, {"name": "นายสมชาย ใจดี", "address": "ขอนแก่น 40000"}, token=token)
    assert response.status_code == 202, response.content
    assert response.json() == {
        "status": "requested",
        "message": "ขอบคุณค่ะ ใบกำกับภาษีเต็มรูปจะออกให้เมื่อชำระเงินแล้ว",
        "document": None,
        "pdf_url": None,
    }
    assert not TaxDocument.objects.exists()
    assert InvoiceRequest.objects.get(source_id=str(order.pk)).buyer_name == "นายสมชาย ใจดี"
    order_services.confirm_promptpay_payment(order=order, actor=None)
    invoice = TaxDocument.objects.get()
    assert (invoice.kind, invoice.buyer_name, invoice.buyer_tax_id, invoice.total) == (
        "full", "นายสมชาย ใจดี", "", order.total,
    )  # fmt: skip


def test_the_account_that_placed_the_order_needs_no_token_and_no_one_else_reaches_it(client, shop, make_user):
    _record, key = issue_api_token(user=make_user("customer"), name="app")
    _record, other_key = issue_api_token(user=make_user("customer"), name="app")
    owner = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    order, token = place(client, **owner)
    order_services.confirm_promptpay_payment(order=order, actor=None)
    before = snapshot()
    for refused in (
        ask(client, order, COMPANY),  # anonymous, no token
        ask(client, order, COMPANY, HTTP_AUTHORIZATION=f"Bearer {other_key}"),  # another account
        ask(client, order, COMPANY, token="forged-signature"),
        ask(client, order, COMPANY, token=token[:-2] + "xx", **owner),  # a wrong token is not made right by the owner
    ):
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"
    assert snapshot() == before
    response = ask(client, order, COMPANY, **owner)
    assert response.status_code == 201 and response.json()["document"]["kind"] == "full"


@pytest.mark.parametrize(
    ("changes", "field", "thai", "english"),
    [
        ({"tax_id": "0105551234568"}, "tax_id", "หลักตรวจสอบ", "check digit"),
        ({"tax_id": "", "branch": "00001"}, "tax_id", "สาขา", "branch"),
        ({"address": "   "}, "address", "ที่อยู่", "address"),
    ],
)
def test_bad_details_are_refused_naming_the_field_in_thai_and_english_and_change_nothing(
    client, shop, changes, field, thai, english
):
    order, token = place(client)
    order_services.confirm_promptpay_payment(order=order, actor=None)
    before = snapshot()
    for language, expected in (("th", thai), ("en", english)):
        response = ask(client, order, {**COMPANY, **changes}, token=token, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code in (400, 409), response.content
        error = response.json()["error"]
        assert field in error["fields"], error
        if response.status_code == 409:
            assert error["code"] == "invalid_tax_document"
            assert expected in " ".join(error["fields"][field]), error
    assert snapshot() == before
    assert not TaxDocument.objects.get().is_cancelled


def test_after_the_month_of_payment_or_once_refunded_it_is_refused_with_the_reason(client, shop, make_user):
    order, token = place(client)
    order_services.confirm_promptpay_payment(order=order, actor=None)
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=40))
    before = snapshot()
    late = ask(client, order, COMPANY, token=token)
    assert late.status_code == 409
    assert "ภายในเดือนที่ชำระเงินเท่านั้น" in late.json()["error"]["message"]
    late_en = ask(client, order, COMPANY, token=token, HTTP_ACCEPT_LANGUAGE="en")
    assert "only within the month the order was paid in" in late_en.json()["error"]["message"]
    assert snapshot() == before

    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    order_services.refund_order(
        order=Order.objects.get(pk=order.pk), method="transfer", reason="ลูกค้ายกเลิก",
        actor=make_user("manager"), transfer_reference="REF-1",
    )  # fmt: skip
    before = snapshot()
    refunded = ask(client, order, COMPANY, token=token, HTTP_ACCEPT_LANGUAGE="en")
    assert refunded.status_code == 409
    assert refunded.json()["error"]["message"] == "A cancelled or refunded order gets no tax invoice."
    assert snapshot() == before


def test_the_schema_documents_every_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/orders/{number}/tax-invoice"]["post"]
    assert {"200", "201", "202", "400", "403", "404", "409", "413", "415", "429"} <= set(operation["responses"])
    assert {} in operation["security"]  # open to the buyer without an account
