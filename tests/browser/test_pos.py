"""A cashier's day: open a shift, scan, take cash, print; keep selling offline and sync without duplicates;
the tea corner sells an iced mulberry tea at 50 % sweetness; the shift closes with a correct Z-report."""

from __future__ import annotations

import json
from decimal import Decimal

import pypdfium2
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.catalog.barcodes import in_store_ean13
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.inventory.tests.factories import VariantFactory
from otop.pos.models import Sale, SaleLine
from otop.pos.tests.factories import MenuItemFactory, MenuOptionFactory, RegisterFactory, TeaRegisterFactory


def goods():
    shop = stock_selectors.location("shop")
    items = []
    for number, price in enumerate(["120.00", "250.50", "80.00"], start=1):
        variant = VariantFactory(price=Decimal(price), barcode=in_store_ean13(900 + number))
        stock_services.receive_stock(variant=variant, location=shop, quantity=10, actor=None)
        items.append(variant)
    return items


def sign_in(page, url):
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("kasira")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def open_shift(page, cash):
    # The page's CSP forbids eval, so wait on a DOM mark rather than a JavaScript predicate.
    expect(page.locator("html[data-pos-ready='true']")).to_be_attached()
    page.locator("#starting-cash").fill(cash)
    page.get_by_role("button", name="เปิดกะ").click()
    expect(page.locator("#scan")).to_be_focused()


def scan(page, code):
    page.locator("#scan").fill(code)
    page.locator("#scan").press("Enter")


def pay_cash(page, tendered=""):
    if tendered:
        page.locator("#tendered").fill(tendered)
    page.locator("[data-pay=cash]").click()
    page.locator("#complete").click()
    expect(page.locator("#done")).to_be_visible()


def test_a_cashiers_day_online_offline_and_at_the_tea_corner(live_server, desktop, make_user):
    make_user("cashier", username="kasira")
    register = RegisterFactory()
    tea = TeaRegisterFactory()
    mulberry = MenuItemFactory(register=tea)
    MenuOptionFactory(register=tea, code="regular", name_th="แก้วปกติ", price=Decimal("0.00"))
    silk, rice, banana = goods()
    page = desktop
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")

    # Online: open the shift, scan three items, take cash, print.
    sign_in(page, live_server.url + "/pos/shop/")
    open_shift(page, "1000")
    for variant in (silk, rice, banana):
        scan(page, variant.barcode)
    expect(page.locator(".pos-line")).to_have_count(3)
    expect(page.locator("#total")).to_have_text("฿450.50")
    scan(page, "2000000000008")
    expect(page.locator("#scan-message")).to_contain_text("ไม่พบรหัสสินค้า")
    expect(page.locator(".pos-line")).to_have_count(3)
    pay_cash(page, "500")
    expect(page.locator("#done-message")).to_contain_text("S1-000001")
    expect(page.locator("#done-message")).to_contain_text("฿49.50")
    page.get_by_role("button", name="พิมพ์ใบเสร็จ").click()
    assert page.evaluate("window.__printed") == 1
    expect(page.locator("#receipt .receipt-number")).to_have_text("S1-000001")
    page.get_by_role("button", name="ขายรายการถัดไป").click()
    assert Sale.objects.count() == 1

    # Offline: three sales wait on the device with numbers from the reserved block.
    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text("ออฟไลน์")
    for variant in (silk, silk, rice):
        scan(page, variant.barcode)
        pay_cash(page)
        expect(page.locator("#done-message")).to_contain_text("บันทึกไว้ในเครื่องแล้ว")
        page.get_by_role("button", name="ขายรายการถัดไป").click()
    expect(page.locator("#pending-count")).to_have_text("3")
    assert Sale.objects.count() == 1

    # Back online: the queue syncs by itself.
    synced = []
    page.on("request", lambda r: synced.append(r.post_data) if r.url.endswith("/api/v1/pos/sales") else None)
    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15000)
    assert len(synced) == 3

    # Replaying the same sync (a lost answer, a second tab) changes nothing.
    csrf = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    for body in synced:
        answer = page.request.post(
            live_server.url + "/api/v1/pos/sales",
            data=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
        )
        assert answer.status == 200
        assert answer.json()["replayed"] is True
    sales = list(Sale.objects.filter(register=register).order_by("receipt_number"))
    assert [s.receipt_code for s in sales] == ["S1-000001", "S1-000002", "S1-000003", "S1-000004"]
    assert [s.recorded_offline for s in sales] == [False, True, True, True]
    assert stock_selectors.on_hand(variant_id=silk.pk, location_code="shop") == 7
    assert stock_selectors.on_hand(variant_id=rice.pk, location_code="shop") == 8
    assert stock_selectors.on_hand(variant_id=banana.pk, location_code="shop") == 9

    # The tea corner: an iced mulberry tea at 50 % sweetness.
    page.goto(live_server.url + "/pos/tea/")
    open_shift(page, "200")
    page.get_by_role("button", name="ชาใบหม่อน").click()
    page.get_by_label("เย็น").check()
    page.get_by_label("50%").check()
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    expect(page.locator(".pos-line")).to_contain_text("เย็น, ความหวาน 50%")
    pay_cash(page, "50")
    expect(page.locator("#done-message")).to_contain_text("T1-000001")
    line = SaleLine.objects.get(sale__register=tea)
    assert line.menu_item == mulberry
    assert {"kind": "temperature", "code": "iced"} in line.modifiers
    assert {"kind": "sweetness", "percent": 50} in line.modifiers
    page.get_by_role("button", name="ขายรายการถัดไป").click()

    # Close the shop's shift: 1000 + 450.50 + 120.00 + 120.00 + 250.50 in the drawer.
    page.goto(live_server.url + "/pos/shop/")
    expect(page.locator("html[data-pos-ready='true']")).to_be_attached()
    page.get_by_role("button", name="ปิดกะ").click()
    page.locator("#counted-cash").fill("1941.00")
    page.locator("#close-shift-form").get_by_role("button", name="ปิดกะ").click()
    expect(page.locator("#close-expected")).to_have_text("฿1,941.00")
    expect(page.locator("#close-counted")).to_have_text("฿1,941.00")
    expect(page.locator("#close-variance")).to_have_text("฿0.00")
    pdf_url = page.locator("#z-report-link").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    text = pypdfium2.PdfDocument(pdf.body())[0].get_textpage().get_text_range()
    assert "S1-000001" in text and "S1-000004" in text
    assert "฿941.00" in text  # takings
    assert "เงินสด" in text
    assert "ร้านชาใบหม่อน" not in text  # the tea corner is reported apart


def test_a_refused_offline_sale_is_kept_for_the_manager_and_the_others_sync(
    live_server, desktop, make_user, screenshot
):
    from datetime import timedelta

    from django.utils import timezone

    from otop.pos.models import PriceList

    make_user("cashier", username="kasira")
    RegisterFactory()
    silk, rice, _banana = goods()
    page = desktop
    sign_in(page, live_server.url + "/pos/shop/")
    open_shift(page, "500")

    # Three sales rung up offline; meanwhile the silk's price changes and the register's list goes stale.
    page.context.set_offline(True)
    expect(page.locator("#net-status")).to_have_text("ออฟไลน์")
    for variant in (rice, silk, rice):
        scan(page, variant.barcode)
        pay_cash(page)
        page.get_by_role("button", name="ขายรายการถัดไป").click()
    expect(page.locator("#pending-count")).to_have_text("3")
    type(silk).objects.filter(pk=silk.pk).update(price=Decimal("130.00"))
    PriceList.objects.update(last_served_at=timezone.now() - timedelta(days=4))

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15000)
    # The refused sale no longer blocks the two behind and before it; it waits, with its reason, for the manager.
    expect(page.locator("#refused")).to_be_visible()
    expect(page.locator("#refused-count")).to_have_text("1")
    expect(page.locator("#refused-list li")).to_contain_text("S1-000002")
    expect(page.locator("#refused-list li")).to_contain_text("฿120.00")
    assert sorted(Sale.objects.values_list("receipt_number", flat=True)) == [1, 3]
    screenshot(page, "refused-sale")


@pytest.mark.parametrize(
    ("counted", "difference", "css_class"),
    [("1300", "฿-130.00 (ขาด)", "pos-short"), ("1450.25", "฿20.25 (เกิน)", "pos-over")],
)
def test_closing_a_short_or_over_drawer_shows_the_difference_with_its_sign(
    live_server, desktop, make_user, screenshot, counted, difference, css_class
):
    make_user("cashier", username="kasira")
    RegisterFactory()
    page = desktop
    sign_in(page, live_server.url + "/pos/shop/")
    open_shift(page, "1430")
    page.get_by_role("button", name="ปิดกะ").click()
    page.locator("#counted-cash").fill(counted)
    page.locator("#close-shift-form").get_by_role("button", name="ปิดกะ").click()
    figures = page.locator("#close-figures")
    expect(figures).to_contain_text("ยอดที่ควรมีในลิ้นชัก")
    expect(page.locator("#close-expected")).to_have_text("฿1,430.00")
    expect(page.locator("#close-variance")).to_have_text(difference)
    expect(page.locator("#close-variance")).to_have_class(css_class)
    screenshot(page, "close-shift-" + css_class)
