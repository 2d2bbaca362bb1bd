"""PDPA on a phone: the notice from the footer, a customer's own page (choices, a copy, erasure) and the
manager answering the erasure request."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from conftest import PASSWORD
from otop.privacy.models import ConsentRecord, DataRequest


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
        phone.get_by_role("link", name="ดาวน์โหลดข้อมูลของฉัน").click()
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
