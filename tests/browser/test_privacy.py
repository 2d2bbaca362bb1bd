"""PDPA on a phone: the notice from the footer, a customer's own page (choices, a copy, erasure) and the
manager answering the erasure request."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from conftest import PASSWORD
from otop.notifications.models import OutboundMessage
from otop.orders import services as orders
from otop.orders.tests.conftest import shop  # noqa: F401 - two products in stock
from otop.privacy.models import ConsentRecord, DataRequest
from otop.tax.tests.test_pdf import pdf_text


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_customer_reads_the_notice_chooses_downloads_and_asks_for_erasure(
    live_server, phone, desktop, make_user, screenshot
):
    customer = make_user("customer", username="somsri", email="somsri@example.com")
    make_user("manager", username="boss")

    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="ประกาศความเป็นส่วนตัว").click()
    expect(phone.locator("h1")).to_have_text("ประกาศความเป็นส่วนตัว")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "notice")

    _sign_in(phone, live_server.url, "somsri")
    phone.get_by_role("link", name="ข้อมูลส่วนบุคคลของฉัน").click()
    phone.get_by_label("ข่าวสารและโปรโมชันทางอีเมล").check()
    phone.get_by_role("button", name="บันทึกตัวเลือก").click()
    expect(phone.get_by_text("บันทึกตัวเลือกของคุณแล้ว")).to_be_visible()
    assert ConsentRecord.objects.filter(user=customer, purpose="marketing_email", granted=True).exists()

    with phone.expect_download() as download:
        phone.get_by_role("link", name="ดาวน์โหลดเป็น JSON").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["username"] == "somsri"

    phone.get_by_label("การลบข้อมูลของฉัน").check()
    phone.get_by_role("button", name="ส่งคำขอ").click()
    expect(phone.get_by_text("เราจะตอบภายใน")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "mine")

    request = DataRequest.objects.get(user=customer)
    _sign_in(desktop, live_server.url, "boss")
    desktop.goto(live_server.url + "/privacy/requests/")
    desktop.get_by_role("link", name=request.reference).click()
    screenshot(desktop, "request")
    desktop.get_by_label("ฉันตรวจสอบตัวตนผู้ยื่นคำขอแล้ว และต้องการลบข้อมูล").check()
    desktop.get_by_role("button", name="ลบข้อมูลของเจ้าของข้อมูล").click()
    expect(desktop.get_by_text("ลบข้อมูลของเจ้าของข้อมูลแล้ว")).to_be_visible()
    screenshot(desktop, "requests")
    customer.refresh_from_db()
    assert not customer.is_active and customer.email == ""


def test_a_guest_proves_their_email_with_a_code_downloads_a_pdf_and_asks_for_erasure(
    live_server, phone, request, screenshot
):
    request.getfixturevalue("shop")  # the orders tests' two products in stock
    order = orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="สมหญิง รักไทย", phone="0815556666", email="somying@example.com"),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="12 ถนนศรีจันทร์", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
    )
    phone.goto(live_server.url + "/privacy/")
    phone.get_by_role("link", name="ดู แก้ไข หรือลบข้อมูลของคุณโดยไม่ต้องมีบัญชีผู้ใช้").click()
    expect(phone.get_by_text("ยังไม่ได้ตั้งค่า SMS")).to_be_visible()
    phone.get_by_label("อีเมลที่คุณให้ไว้ตอนสั่งซื้อหรือจองห้อง").fill("somying@example.com")
    phone.get_by_role("button", name="ส่งรหัสให้ฉัน").click()
    expect(phone.get_by_text("เราได้ส่งรหัส 6 หลัก")).to_be_visible()
    screenshot(phone, "code")

    body = OutboundMessage.objects.get(event="privacy/guest_code").body
    code = re.search(r"\b(\d{6})\b", body).group(1)
    phone.get_by_label("รหัส 6 หลักจากอีเมล").fill("000000" if code != "000000" else "111111")
    phone.get_by_role("button", name="ตรวจรหัส").click()
    expect(phone.get_by_text("เหลืออีก 4 ครั้ง")).to_be_visible()
    screenshot(phone, "wrong-code")
    phone.get_by_label("รหัส 6 หลักจากอีเมล").fill(code)
    phone.get_by_role("button", name="ตรวจรหัส").click()
    expect(phone.get_by_text("คำสั่งซื้อ 1 รายการ")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "data")

    with phone.expect_download() as download:
        phone.get_by_role("link", name="ดาวน์โหลดเป็น PDF").click()
    assert order.number in pdf_text(open(download.value.path(), "rb").read())

    phone.get_by_label("การลบข้อมูลของฉัน").check()
    phone.get_by_role("button", name="ส่งคำขอ").click()
    expect(phone.get_by_text("เราจะตอบภายใน")).to_be_visible()
    screenshot(phone, "asked")
    asked = DataRequest.objects.get()
    assert asked.user is None and asked.contact == "somying@example.com"
