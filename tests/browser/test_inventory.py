"""Stocktake on a phone by scanning (the scan field keeps focus), and a producer opening its statement PDF."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from conftest import PASSWORD
from otop.inventory import selectors, services
from otop.inventory.tests.factories import VariantFactory


def sign_in(page, url, username):
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_count_a_shelf_by_scanning_on_a_phone_and_the_manager_approves(live_server, phone, make_user):
    make_user("manager", username="boss")
    shop = selectors.location("shop")
    variant = VariantFactory(barcode="8850000000203")
    services.receive_stock(variant=variant, location=shop, quantity=5, actor=None)

    page = phone
    sign_in(page, live_server.url + "/inventory/stocktakes/", "boss")
    page.get_by_label("ที่เก็บที่จะนับ").select_option("shop")
    page.get_by_role("button", name="เริ่มใบตรวจนับ").click()
    scan = page.get_by_label("สแกนบาร์โค้ด")
    expect(scan).to_be_focused()
    for _ in range(3):
        scan.fill(variant.barcode)
        scan.press("Enter")
        expect(scan).to_have_value("")
    row = page.locator(f'tr[data-sku="{variant.sku}"]')
    expect(row.locator(".variance-value")).to_have_text("-2")
    expect(page.locator("#scan-status")).to_contain_text("นับได้ 3")
    expect(scan).to_be_focused()
    scan.fill("0000000000000")
    scan.press("Enter")
    expect(page.locator("#scan-status")).to_contain_text("ไม่พบสินค้า")

    page.get_by_role("button", name="อนุมัติและปรับยอด").click()
    expect(page.locator(".messages")).to_contain_text("ปรับยอด 1 รายการ")
    assert selectors.on_hand(variant_id=variant.pk, location_code="shop") == 3


def test_a_producer_reads_its_statement_pdf(live_server, desktop, make_user):
    user = make_user("producer", username="group")
    variant = VariantFactory()
    producer = variant.product.producer
    producer.user = user
    producer.save()
    services.record_sale_lines(
        lines=[(variant.pk, 2, Decimal("350.00"))],
        reference="pos-1",
        channel="counter",
        sold_at=datetime(2026, 10, 4, 10, tzinfo=ZoneInfo("Asia/Bangkok")),
    )
    settlement = services.create_settlement(producer=producer, period_start=date(2026, 10, 1))

    page = desktop
    sign_in(page, live_server.url + "/inventory/my/statements/", "group")
    expect(page.locator("#my-statements")).to_contain_text("1 ต.ค. 2569 – 31 ต.ค. 2569")
    expect(page.locator("#my-statements")).to_contain_text("฿560.00")
    link = page.get_by_role("link", name="ใบแจ้งยอด (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert settlement.number in link.get_attribute("href")
