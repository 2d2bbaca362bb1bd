"""On a phone, a business buyer opens the checkout's full-tax-invoice section, is told in Thai that the tax ID's
check digit is wrong (nothing is ordered), corrects it, orders, and after payment finds the full tax invoice on
the order page."""

from __future__ import annotations

from django.core.cache import cache
from playwright.sync_api import expect

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as order_services
from otop.orders.models import Order
from otop.search.tests.factories import listed_product
from otop.tax.models import TaxDocument


def test_a_business_buyer_asks_for_a_full_tax_invoice_at_checkout_on_a_phone(live_server, phone, screenshot):
    basket = listed_product(name_th="กระเช้าของขวัญผ้าไหม", price="2140.00", sku="BASKET-1", weight_grams=2000)
    inventory.receive_stock(
        variant=basket.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()

    page = phone
    page.goto(live_server.url + "/search/?q=กระเช้า")
    page.locator(".product-card .add-to-cart button").first.click()
    expect(page.locator("#cart-count")).to_have_text("1")
    page.goto(live_server.url + "/checkout/")
    section = page.locator("details#tax-invoice")
    expect(section.get_by_label("ชื่อบริษัทหรือชื่อบุคคล")).to_be_hidden()  # closed at first
    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill("0812223333")
    section.locator("summary").click()
    section.get_by_label("ชื่อบริษัทหรือชื่อบุคคล").fill("บริษัท ตะกร้าของขวัญ จำกัด")
    section.get_by_label("ที่อยู่สำหรับใบกำกับภาษี").fill("99 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40000")
    section.get_by_label("เลขประจำตัวผู้เสียภาษี (13 หลัก)").fill("0105551234568")
    section.get_by_label("สาขาที่").check()
    section.get_by_label("เลขที่สาขา (5 หลัก)").fill("00001")
    screenshot(page, "section-open")
    page.get_by_role("button", name="ยืนยันการสั่งซื้อ").click()

    expect(page.locator("#error-summary")).to_contain_text("ใบกำกับภาษีเต็มรูป")
    expect(section.locator(".field-error")).to_contain_text("หลักตรวจสอบ")
    expect(section).to_have_attribute("open", "")
    assert not Order.objects.exists()
    screenshot(page, "refused")

    section.get_by_label("เลขประจำตัวผู้เสียภาษี (13 หลัก)").fill("0105551234567")
    page.get_by_role("button", name="ยืนยันการสั่งซื้อ").click()
    page.wait_for_url("**/checkout/orders/**")
    order = Order.objects.get()
    order_services.confirm_promptpay_payment(order=order, actor=None)

    page.goto(live_server.url + "/orders/track/")
    page.locator("#track-number").fill(order.number)
    page.locator("#track-phone").fill("0812223333")
    page.get_by_role("button", name="ดูคำสั่งซื้อ").click()
    invoice = TaxDocument.objects.get()
    tax = page.locator("#tax")
    expect(tax).to_contain_text(invoice.code)
    expect(tax).to_contain_text("ใบกำกับภาษี")
    expect(tax.get_by_role("link", name="PDF")).to_be_visible()
    screenshot(page, "order-page")
    pdf = page.request.get(live_server.url + tax.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
