"""Done when: on a phone, a customer searches in Thai, adds two products, checks out to a Khon Kaen
address, sees the PromptPay QR for the exact total; staff confirm the payment; tracking shows paid."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.cache import cache
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.payments.promptpay import parse_payload
from otop.search.tests.factories import listed_product


def _stock(product, quantity=5):
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=quantity, actor=None
    )


def test_customer_orders_on_a_phone_pays_by_promptpay_and_tracks_the_paid_order(live_server, phone, desktop, make_user):
    silk = listed_product(
        name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1", weight_grams=400
    )
    scarf = listed_product(
        name_th="ผ้าไหมพันคอ ลายดอกแก้ว", name_en="Silk scarf", price="450.25", sku="SCARF-1", weight_grams=150
    )
    listed_product(name_th="ข้าวหอมมะลิ", name_en="Jasmine rice", price="80.00", sku="RICE-1")
    for product in (silk, scarf):
        _stock(product)
    make_user("staff", username="clerk")
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()

    page = phone
    page.goto(live_server.url + "/")
    page.locator("#search-q").fill("ผ้าไหม")
    expect(page.locator("#search-suggestions li")).to_have_count(2)
    page.locator("#search-q").press("Enter")
    expect(page.locator(".product-card")).to_have_count(2)
    for card in page.locator(".product-card").all():
        card.locator(".add-to-cart button").click()
        expect(card.locator(".cart-feedback")).to_contain_text("1")
    expect(page.locator("#cart-count")).to_have_text("2")

    page.goto(live_server.url + "/cart/")
    expect(page.locator(".cart-subtotal")).to_have_text("฿1,700.75")
    page.locator("a.button[href='/checkout/']").click()
    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill("0812223333")
    page.locator("#id_email").fill("somying@example.com")
    page.locator("#id_delivery_method_1").check()
    page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
    expect(page.locator("#id_province")).to_have_value("40")
    page.locator("#id_district").select_option("4001")
    expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
    # htmx wires up swapped-in fields only after settling; a change before that would go unheard.
    # (Waited for through the DOM: the page's CSP forbids the eval a JavaScript predicate needs.)
    expect(page.locator(".htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)
    page.locator("#id_subdistrict").select_option("400101")
    expect(page.locator("#id_postcode")).to_have_value("40000")
    # 550 g of goods in a 60 g box: registered parcel up to 1 kg is the cheapest option, chosen by default.
    checked = page.locator("#delivery-options input[name=delivery_option]:checked")
    expect(checked).to_have_value("thailandpost:registered")
    page.locator("button[type=submit]").last.click()

    expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-000001$"))
    order = Order.objects.get()
    assert order.total == Decimal("1720.75")  # 1,700.75 of goods + 20.00 registered parcel (610 g)
    expect(page.locator(".promptpay-amount")).to_contain_text("฿1,720.75")
    expect(page.locator(".promptpay-payee")).to_contain_text("บริษัท ขอนแก่น โอทอป อินเตอร์ เทรดเดอร์ จำกัด")
    qr = page.locator("img.promptpay-qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_js_property("complete", True)
    assert page.evaluate("document.querySelector('img.promptpay-qr').naturalWidth") > 0
    assert parse_payload(order.payments.get().payload).amount == Decimal("1720.75")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    staff = desktop
    staff.goto(live_server.url + f"/orders/{order.number}/")
    staff.locator("#id_username").fill("clerk")
    staff.locator("#id_password").fill(PASSWORD)
    staff.locator("button[type=submit]").click()
    staff.locator("form[action$='/confirm-payment/'] button").click()
    expect(staff.locator(".order-status")).to_have_text("ชำระเงินแล้ว")

    page.goto(live_server.url + "/orders/track/")
    page.locator("#track-number").fill(order.number)
    page.locator("#track-phone").fill("081-222-3333")
    page.locator(".form button[type=submit]").click()
    expect(page.locator(".tracked-order .order-status")).to_have_text("ชำระเงินแล้ว")
    expect(page.locator("img.promptpay-qr")).to_have_count(0)
