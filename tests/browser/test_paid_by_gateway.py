"""A customer pays a waiting web order with an e-wallet: the tracking page's button sends the browser to the
gateway (the fake's authorize page, as a wallet app or 3-D Secure would be), the gateway sends it back, and
the tracking page shows the order paid with no staff action (the charge fetched from the gateway)."""

from __future__ import annotations

import re

from django.core.cache import cache
from playwright.sync_api import expect

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.payments.models import Payment
from otop.payments.tests.fake_gateway import FakeGateway, gateway_settings
from otop.search.tests.factories import listed_product


def test_an_e_wallet_button_goes_to_the_gateway_and_comes_back_paid(live_server, phone, settings, screenshot):
    silk = listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1")
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    with FakeGateway() as gateway:
        gateway_settings(settings, gateway)
        base = live_server.url
        page = phone
        page.goto(base + "/search/?q=ผ้าไหม")
        page.locator(".product-card .add-to-cart button").first.click()
        expect(page.locator("#cart-count")).to_have_text("1")
        page.goto(base + "/cart/")
        page.locator("a.button[href='/checkout/']").click()
        page.locator("#id_name").fill("สมหญิง ใจดี")
        page.locator("#id_phone").fill("0812223333")
        page.locator("#id_delivery_method_0").check()
        page.locator("button[type=submit]").last.click()
        expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-\d{6}$"))
        order = Order.objects.get(number=page.locator(".order-number").inner_text())
        page.locator("a[href*='/orders/track/OTOP-']").first.click()
        expect(page.locator(".tracked-order .order-status")).to_have_text("รอชำระเงิน")
        wallets = page.locator("form.gateway-pay button[name=source]")
        expect(wallets.first).to_be_visible()
        screenshot(page, "wallet-buttons")

        page.locator("form.gateway-pay button[value=truemoney_jumpapp]").click()
        # Through the gateway's authorize page and back to this order's tracking page.
        page.wait_for_url(re.compile(rf"/orders/track/{order.number}/[^/]+/\?paid=gateway$"))
        expect(page.locator(".tracked-order .order-status")).to_have_text("ชำระเงินแล้ว")
        expect(page.locator("form.gateway-pay")).to_have_count(0)
        screenshot(page, "paid")

    (charge,) = gateway.state.charges.values()
    assert charge["source"] == {"type": "truemoney_jumpapp"} and charge["amount"] == 125050
    assert charge["status"] == "successful"  # the buyer passed the gateway's authorize page
    # Back on the tracking page the charge was asked of the gateway, not read from the address.
    assert gateway.calls("GET", f"/charges/{charge['id']}") >= 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    card = order.payments.get(method=Payment.Method.CARD)
    assert card.status == Payment.Status.CONFIRMED and card.amount == order.total
