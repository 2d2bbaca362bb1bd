"""Done when: a buyer who transferred by hand sends the slip picture on the order page and the order is paid;
the same slip for a second order is refused in Thai and changes nothing."""

from __future__ import annotations

import io
import re

import segno
from django.core.cache import cache
from playwright.sync_api import expect

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.payments.tests.fake_bank import FakeBank, bank_settings, transfer_slip
from otop.search.tests.factories import listed_product


def _slip_picture(text: str, path) -> str:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=5, border=6)
    path.write_bytes(buffer.getvalue())
    return str(path)


def _order(page, base: str, phone: str) -> Order:
    page.goto(base + "/search/?q=ผ้าไหม")
    page.locator(".product-card .add-to-cart button").first.click()
    expect(page.locator("#cart-count")).not_to_have_text("0")
    page.goto(base + "/cart/")
    page.locator("a.button[href='/checkout/']").click()
    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill(phone)
    page.locator("#id_delivery_method_0").check()
    page.locator("button[type=submit]").last.click()
    expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-\d{6}$"))
    order = Order.objects.get(number=page.locator(".order-number").inner_text())
    page.locator("a[href*='/orders/track/OTOP-']").first.click()
    expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")
    return order


def test_a_slip_picture_pays_the_order_and_is_refused_for_a_second_one(
    live_server, phone, settings, screenshot, tmp_path
):
    silk = listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1")
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    with FakeBank() as bank:
        bank_settings(settings, bank)
        settings.BANK_BILLER_ID = ""  # the AnyID QR, paid by hand
        base = live_server.url
        page = phone
        order = _order(page, base, "0812223333")
        slip = _slip_picture(transfer_slip(bank, amount=order.total, receiver_proxy="xxx-xxx-5678"), tmp_path / "s.png")
        page.locator("#slip").set_input_files(slip)
        screenshot(page, "before-upload")
        page.locator(".slip-upload button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()
        expect(page.locator(".tracked-order .order-status")).to_have_text("ชำระเงินแล้ว")
        expect(page.locator(".slip-upload")).to_have_count(0)
        screenshot(page, "paid-by-slip")

        second = _order(page, base, "0899998888")
        page.locator("#slip").set_input_files(slip)
        page.locator(".slip-upload button[type=submit]").click()
        expect(page.locator(".message-error")).to_have_text("สลิปนี้ถูกใช้ชำระไปแล้ว")
        expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")
        screenshot(page, "slip-refused")
        second.refresh_from_db()
        assert second.status == Order.Status.PENDING_PAYMENT
