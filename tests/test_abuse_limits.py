"""Abuse limits (issue 22, item 8): a client guessing coupon codes, and a flood of transfer slips for one order,
are refused with a clear message, the API answering 429 with Retry-After; a refused attempt changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import segno
from django.test import Client

from otop.orders import services
from otop.orders.models import CouponUse, Order
from otop.orders.selectors import tracking_token
from otop.orders.tests.conftest import shop  # noqa: F401 - two products in the online stock, PromptPay set up
from otop.orders.tests.test_coupons import make_coupon
from otop.payments.models import Payment
from otop.payments.tests.fake_bank import FakeBank, bank_settings, transfer_slip

pytestmark = pytest.mark.django_db

BODY = {
    "items": [{"sku": "RICE-1", "qty": 2}],
    "customer": {"name": "สมชาย", "phone": "0812223333"},
    "delivery": {"method": "pickup"},
    "payment_method": "promptpay",
}


def order_api(client: Client, coupon: str, address: str = "203.0.113.20"):
    return client.post("/api/v1/orders", {**BODY, "coupon": coupon}, content_type="application/json",
                       REMOTE_ADDR=address)  # fmt: skip


def test_ten_wrong_codes_then_even_a_good_code_is_refused_with_429_for_that_client_only(client, shop):  # noqa: F811
    make_coupon()  # OTOP10
    answers = [order_api(client, f"GUESS{n}").status_code for n in range(9)]
    assert answers == [409] * 9
    assert order_api(client, "GUESS0").status_code == 409  # the same wrong code again is not another guess
    assert order_api(client, "GUESS9").status_code == 409  # the tenth different one

    refused = order_api(client, "OTOP10")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled" and "coupon" in refused.json()["error"]["fields"]
    assert 1 <= int(refused["Retry-After"]) <= 15 * 60
    assert Order.objects.count() == 0 and CouponUse.objects.count() == 0  # refused: nothing placed, nothing used
    # Without a coupon the client still orders; another client's good code still applies.
    assert order_api(client, "").status_code == 201
    other = order_api(client, "otop10", address="198.51.100.30")
    assert other.status_code == 201 and Decimal(other.json()["total"]) == Decimal("144.45")
    assert CouponUse.objects.count() == 1


def test_the_schema_documents_429_on_placing_an_order(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/orders"]["post"]
    assert "429" in operation["responses"]
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "429" in schemas["OrderIn"]["properties"]["coupon"]["description"]


def test_the_checkout_page_says_in_thai_when_a_client_guessed_too_many_codes(client, shop):  # noqa: F811
    make_coupon()
    client.post("/cart/add/", {"variant": shop["rice"].variants.get().pk, "quantity": 2})
    details = {"name": "สมหญิง ใจดี", "phone": "0812223333", "email": "", "delivery_method": "pickup", "province": "40"}
    for n in range(10):
        page = client.post("/checkout/", {**details, "coupon": f"GUESS{n}"}, REMOTE_ADDR="203.0.113.21")
        assert page.status_code == 200 and f"GUESS{n}" in page.text  # "there is no coupon GUESSn"
    page = client.post("/checkout/", {**details, "coupon": "OTOP10"}, REMOTE_ADDR="203.0.113.21")
    assert page.status_code == 200 and "ลองรหัสคูปองที่ใช้ไม่ได้หลายครั้งเกินไป" in page.text
    assert Order.objects.count() == 0 and CouponUse.objects.count() == 0
    placed = client.post("/checkout/", {**details, "coupon": "OTOP10"}, REMOTE_ADDR="198.51.100.31")
    assert placed.status_code == 302 and Order.objects.get().discount == Decimal("16.05")


def _png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


@pytest.fixture
def bank(settings):
    with FakeBank() as fake:
        bank_settings(settings, fake)
        settings.BANK_BILLER_ID = ""  # the AnyID QR: the case slips are for
        yield fake


def test_the_sixth_slip_for_one_order_in_an_hour_is_refused_without_asking_the_bank(client, shop, bank):  # noqa: F811
    order = services.place_order(
        items=[("RICE-1", 1)], customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333"),
        delivery_method="pickup",
    )  # fmt: skip
    path = f"/orders/track/{order.number}/{tracking_token(order.number)}/slip/"
    wrong = _png(transfer_slip(bank, amount="10.00", receiver_proxy="xxx-xxx-5678"))
    for n in range(5):  # from five addresses: the limit is the order's, not the client's
        client.post(path, {"slip": io.BytesIO(wrong)}, REMOTE_ADDR=f"203.0.113.{40 + n}")
    asked = len(bank.state.requests)
    right = _png(transfer_slip(bank, amount=order.total, receiver_proxy="xxx-xxx-5678"))
    page = client.post(path, {"slip": io.BytesIO(right)}, REMOTE_ADDR="203.0.113.99", follow=True)
    assert "ส่งสลิปสำหรับคำสั่งซื้อนี้หลายครั้งเกินไป" in page.text
    assert len(bank.state.requests) == asked  # the bank was not asked
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert Payment.objects.get(order=order).status == "pending"
