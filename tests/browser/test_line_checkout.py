"""The chat checkout on a phone-sized screen, as LINE opens it (a LIFF page): the chat's cart, the
buyer's details, a parcel address by province → district → subdistrict, then the PromptPay QR here
and in the chat."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote

from django.core.cache import cache
from playwright.sync_api import expect

from otop.channels import services
from otop.channels.line.tests.fake_line import ACCESS_TOKEN, FakeLine
from otop.channels.line.tests.helpers import CHANNEL_SECRET, new_user_id, stocked_product
from otop.core.models import CenterProfile
from otop.orders.models import Order
from otop.payments.promptpay import parse_payload


def test_a_line_buyer_checks_out_the_chat_cart_on_the_liff_page(live_server, phone, settings, screenshot):
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", quantity=3)
    tea = stocked_product(name_th="ชาใบหม่อนอบแห้ง", name_en="Mulberry-leaf tea", price="120.00", quantity=1)
    type(silk).objects.filter(pk=silk.pk).update(weight_grams=400)
    type(tea).objects.filter(pk=tea.pk).update(weight_grams=100)
    with FakeLine() as line:
        settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN = CHANNEL_SECRET, ACCESS_TOKEN
        settings.LINE_API_BASE_URL, settings.LINE_DATA_API_BASE_URL = line.api_base_url, line.data_api_base_url
        settings.LINE_LIFF_ID = "1656449211-9Kym0GQ7"
        settings.SITE_URL = "https://otop.example"
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        user_id = new_user_id()
        contact = services.contact_for(platform="line", external_id=user_id)
        services.add_to_cart(contact=contact, variant_id=silk.variants.get().pk, quantity=1)
        services.add_to_cart(contact=contact, variant_id=tea.variants.get().pk, quantity=2)  # only 1 in stock
        token = services.issue_checkout_link(contact=contact)

        page = phone
        # LINE opens the LIFF endpoint with the link's query inside liff.state.
        page.goto(live_server.url + "/chat/checkout/?liff.state=" + quote(f"?t={token}"))
        expect(page.locator("h1")).to_have_text("สั่งซื้อสินค้า")
        expect(page.locator(".chat-cart li")).to_have_count(2)
        expect(page.locator(".chat-cart li").last).to_contain_text("฿120.00 × 1")  # capped by stock
        expect(page.locator(".chat-totals dd").first).to_have_text("฿1,370.50")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "form")

        page.locator("#id_name").fill("สมหญิง ใจดี")
        page.locator("#id_phone").fill("0812223333")
        page.locator("#id_delivery_method_1").check()
        page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
        expect(page.locator("#id_province")).to_have_value("40")
        page.locator("#id_district").select_option("4001")
        expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
        expect(page.locator(".htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)
        page.locator("#id_subdistrict").select_option("400101")
        expect(page.locator("#id_postcode")).to_have_value("40000")
        # 500 g of goods in a 60 g box: registered parcel 20.00 (the default, cheapest) or EMS 67.00.
        checked = page.locator("#delivery-options input[name=delivery_option]:checked")
        expect(checked).to_have_value("thailandpost:registered")
        page.locator("#delivery-options input[value='thailandpost:ems']").check()
        screenshot(page, "delivery-options")
        page.locator("button[type=submit]").click()

        expect(page.locator(".order-number")).to_have_text(re.compile(r"^OTOP-25\d\d-000001$"))
        order = Order.objects.get()
        assert order.channel == "line"
        assert order.total == Decimal("1437.50")  # 1,250.50 + 120.00 + 67.00 EMS up to 1 kg, chosen
        expect(page.locator(".qr-amount")).to_have_text("฿1,437.50")
        qr = page.locator(".chat-qr img")
        expect(qr).to_have_js_property("complete", True)
        assert page.evaluate("document.querySelector('.chat-qr img').naturalWidth") > 0
        assert parse_payload(order.payments.get().payload).amount == Decimal("1437.50")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "placed")

        [push] = line.calls("/v2/bot/message/push")
        assert push.json["to"] == user_id
        assert [message["type"] for message in push.json["messages"]] == ["text", "image"]
