"""Co-working: someone books the meeting room on a phone, gets the confirmation with the WiFi password
and the .ics; a second person asking for the same time is refused with a clear message."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.accounts.services import create_user
from otop.core.models import CenterProfile
from otop.notifications.models import OutboundMessage
from otop.workspace import demo
from otop.workspace.models import Booking, WifiCredential
from otop.workspace.services import record_booking_payment


def _book(page, base_url: str, day, *, name: str, phone: str, email: str) -> None:
    page.goto(f"{base_url}/workspace/")
    page.get_by_role("link", name="ห้องประชุม Co-working").first.click()
    page.goto(f"{page.url}?day={day:%Y-%m-%d}")
    page.get_by_label("ตั้งแต่").select_option("10:00")
    page.get_by_label("ถึง").select_option("12:00")
    page.get_by_label("ชื่อของคุณ").fill(name)
    page.get_by_label("โทรศัพท์").fill(phone)
    page.get_by_label("อีเมล").fill(email)
    page.get_by_label("วัตถุประสงค์").fill("ประชุมกลุ่มทอผ้า")
    page.get_by_label("จำนวนคน").fill("8")
    page.get_by_role("button", name="จองช่วงเวลานี้").click()


def test_someone_books_tomorrow_on_a_phone_and_a_second_person_is_refused(live_server, phone, browser, screenshot):
    demo.seed(products=0, seed=1)
    CenterProfile.objects.update(promptpay_id="0994000000006")
    cache.clear()
    tomorrow = timezone.localdate() + timedelta(days=1)

    # The form offers an end after its start, as it first opens and after choosing a time on the grid.
    phone.goto(f"{live_server.url}/workspace/meeting-room/?day={tomorrow:%Y-%m-%d}")
    start, end = phone.get_by_label("ตั้งแต่").input_value(), phone.get_by_label("ถึง").input_value()
    assert start and end > start, (start, end)
    screenshot(phone, "form")
    phone.locator(f"a.slot-free[href*='day={tomorrow:%Y-%m-%d}&start=14:00']").first.click()
    start, end = phone.get_by_label("ตั้งแต่").input_value(), phone.get_by_label("ถึง").input_value()
    assert start == "14:00" and end > start, (start, end)

    _book(phone, live_server.url, tomorrow, name="สมหญิง ใจดี", phone="081 234 5678", email="somying@example.com")

    expect(phone.locator("h1")).to_have_text("การจองของคุณได้รับการยืนยันแล้ว")
    expect(phone.locator(".booking-time")).to_have_text("10:00–12:00")
    booking = Booking.objects.get()
    assert booking.name == "สมหญิง ใจดี"
    assert booking.phone == "0812345678"
    wifi = WifiCredential.objects.get(day=tomorrow)
    # Not paid yet (฿600.00 by PromptPay, or at the counter): no WiFi password, a line says when it comes.
    expect(phone.locator(".wifi-password")).to_have_count(0)
    expect(phone.locator(".wifi-later")).to_have_text("รหัส WiFi จะแสดงที่นี่เมื่อชำระเงินแล้ว")
    assert wifi.password not in phone.content()
    expect(phone.locator(".qr svg")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "booked-unpaid")

    ics_link = phone.get_by_role("link", name="เพิ่มลงปฏิทิน (.ics)")
    response = phone.request.get(live_server.url + ics_link.get_attribute("href"))
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    text = response.body().decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    start_utc = booking.starts_at.astimezone(UTC)
    assert f"DTSTART:{start_utc:%Y%m%dT%H%M%SZ}\r\n" in text
    assert f"UID:{booking.reference}@otop-center\r\n" in text
    assert wifi.password not in text

    confirmation = OutboundMessage.objects.get(event="workspace_booking_confirmed")
    assert confirmation.recipient == "somying@example.com"
    assert wifi.password not in confirmation.body
    assert booking.token in confirmation.body

    # Paid at the counter: the same page now shows the network and its password.
    desk = create_user(username="desk", password=PASSWORD, role="staff")
    record_booking_payment(booking=booking, method="cash", amount=booking.amount_due, actor=desk)
    phone.reload()
    expect(phone.locator(".wifi-network")).to_have_text("OTOP-KhonKaen-Meeting")
    expect(phone.locator(".wifi-password")).to_have_text(wifi.password)
    expect(phone.locator(".wifi-later")).to_have_count(0)
    screenshot(phone, "booked-paid")

    # A second person on another phone asks for the same time.
    other = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="th-TH")
    page = other.new_page()
    _book(page, live_server.url, tomorrow, name="สมชาย มีสุข", phone="0898765432", email="somchai@example.com")
    expect(page.locator(".form-errors")).to_have_text("ขออภัย ช่วงเวลานี้มีผู้จองแล้ว กรุณาเลือกเวลาอื่น")
    expect(page).to_have_url(re.compile(r"/workspace/meeting-room/book$"))
    other.close()
    assert Booking.objects.count() == 1
