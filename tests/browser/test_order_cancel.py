"""Staff cancel an unpaid order: no one-click cancel; the form asks for the reason and a confirmation."""

from __future__ import annotations

from django.core.cache import cache
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services
from otop.orders.models import Order
from otop.search.tests.factories import listed_product


def test_cancelling_an_order_asks_for_a_reason_and_a_confirmation(live_server, desktop, make_user, screenshot):
    make_user("staff", username="orders")
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ผ้าไหม", price="100.00", sku="SILK-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )
    order = services.place_order(
        items=[("SILK-1", 1)],
        customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333", email="c@example.com"),
        delivery_method="pickup",
    )
    page = desktop
    page.goto(f"{live_server.url}/orders/{order.number}/")
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("orders")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    page.get_by_text("ยกเลิกคำสั่งซื้อนี้…").click()
    cancel = page.get_by_role("button", name="ยกเลิกคำสั่งซื้อ", exact=True)
    cancel.click()  # the browser refuses: no reason, no tick
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    page.get_by_label("เหตุผล (ส่งถึงลูกค้า)").fill("ลูกค้าขอยกเลิกทางโทรศัพท์")
    page.get_by_label("เข้าใจแล้วว่าย้อนกลับไม่ได้").check()
    screenshot(page, "cancel-form")
    cancel.click()
    expect(page.locator(".order-status")).to_have_text("ยกเลิกแล้ว")
    expect(page.get_by_text("ลูกค้าขอยกเลิกทางโทรศัพท์")).to_be_visible()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
