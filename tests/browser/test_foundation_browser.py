"""A visitor on a phone reads the Thai home page and switches to English; the manager edits the profile."""

import re

from playwright.sync_api import expect

from conftest import PASSWORD


def test_visitor_reads_the_thai_home_page_on_a_phone_and_switches_language(live_server, phone, db):
    phone.goto(live_server.url + "/")
    expect(phone.locator("h1")).to_have_text("ศูนย์ส่งเสริมและพัฒนาสินค้า OTOP จังหวัดขอนแก่น")
    expect(phone.locator(".category")).to_have_count(5)
    expect(phone.locator(".site-footer")).to_contain_text("ทุกวัน 08:00–18:00")
    font = phone.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Sarabun" in font
    assert phone.evaluate("document.fonts.check('16px Sarabun', 'ขอนแก่น')")
    phone.get_by_role("link", name="English").click()
    expect(phone).to_have_url(re.compile(r"/en/$"))
    expect(phone.locator("h1")).to_have_text("Khon Kaen OTOP Promotion and Development Center")
    expect(phone.locator(".category").first).to_contain_text("Food and drinks")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_manager_signs_in_and_changes_the_opening_hours(live_server, desktop, make_user):
    make_user("manager", username="boss")
    page = desktop
    page.goto(live_server.url + "/backoffice/center/")
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("boss")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_label("เวลาปิด").fill("19:30")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกข้อมูลศูนย์แล้ว")
    page.goto(live_server.url + "/")
    expect(page.locator(".site-footer")).to_contain_text("08:00–19:30")
