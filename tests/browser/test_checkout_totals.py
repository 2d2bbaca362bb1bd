"""On a phone, the checkout shows goods, delivery and the grand total before ยืนยันการสั่งซื้อ and updates them as
the delivery choice changes; the address is hidden for pickup; errors are summed up on top with links."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from playwright.sync_api import expect

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.orders.services import shop_settings
from otop.search.tests.factories import listed_product
from otop.shipping.rates import quotes_for_items


def test_checkout_totals_follow_the_delivery_choice_and_errors_link_to_fields(live_server, phone, screenshot):
    silk = listed_product(
        name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1", weight_grams=400
    )
    inventory.receive_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    settings_row = shop_settings()
    settings_row.parcel_rate = Decimal("60.00")
    settings_row.save()
    cache.clear()
    # A parcel costs the carriers' cheapest quote for the goods to the address (shipping app).
    quotes = quotes_for_items(items=[(silk.variants.get(), 1)], postcode="40000", subtotal=Decimal("1250.50"))
    fee = min(quote.fee for quote in quotes)
    parcel_total = f"฿{Decimal('1250.50') + fee:,.2f}"

    page = phone
    page.goto(live_server.url + "/search/?q=ผ้าไหม")
    page.locator(".product-card .add-to-cart button").first.click()
    expect(page.locator("#cart-count")).to_have_text("1")
    page.goto(live_server.url + "/checkout/")

    shown = "[data-delivery]:visible"  # the other method's figures are on the page, hidden
    delivery, total = page.locator(f".checkout-delivery {shown}"), page.locator(f".checkout-total {shown}")
    expect(page.locator(".checkout-goods")).to_have_text("฿1,250.50")
    expect(delivery).to_have_text("฿0.00")
    expect(total).to_have_text("฿1,250.50")
    expect(page.locator("#parcel-details")).to_be_hidden()
    page.locator("#id_name").fill("สมหญิง ใจดี")
    screenshot(page, "pickup")

    page.locator("#id_delivery_method_1").check()
    expect(delivery).to_have_text("คำนวณเมื่อเลือกที่อยู่")  # no address yet, so no quote
    expect(total).to_have_text("—")
    expect(page.locator("#parcel-details")).to_be_visible()
    page.locator("#id_line1").fill("99 หมู่ 1 ถนนมิตรภาพ")
    page.get_by_role("button", name="ยืนยันการสั่งซื้อ").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_phone']")).to_contain_text("0812345678")
    expect(summary.locator("a[href='#id_district']")).to_contain_text("กรุณาเลือกอำเภอ")
    expect(page.locator("body")).not_to_contain_text("ไม่อยู่ในจังหวัด")
    # the refused form keeps the parcel choice
    expect(delivery).to_have_text("คำนวณเมื่อเลือกที่อยู่")
    screenshot(page, "errors")
    summary.locator("a[href='#id_phone']").click()
    page.locator("#id_phone").fill("0812223333")

    page.locator("#id_district").select_option("4001")
    expect(page.locator("#id_subdistrict option")).not_to_have_count(1)
    expect(page.locator(".htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)
    page.locator("#id_subdistrict").select_option("400101")
    expect(page.locator("#id_postcode")).to_have_value("40000")
    expect(total).to_have_text(parcel_total)  # the quote came back with the address
    page.locator("#id_delivery_method_0").check()
    expect(page.locator("#parcel-details")).to_be_hidden()
    expect(total).to_have_text("฿1,250.50")
    page.locator("#id_delivery_method_1").check()
    expect(total).to_have_text(parcel_total)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="ยืนยันการสั่งซื้อ").click()

    expect(page.locator(".order-number")).to_be_visible()
    order = Order.objects.get()
    assert (order.delivery_fee, order.total) == (fee, Decimal("1250.50") + fee)
