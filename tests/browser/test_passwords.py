"""Forgotten passwords on a phone, and a producer's first sign-in through the link staff hand over."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.producers.tests.factories import ProducerFactory


def test_a_customer_resets_a_forgotten_password_on_a_phone(live_server, phone, make_user, settings, screenshot):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_user("customer", username="malee", email="malee@example.com")
    phone.goto(live_server.url + "/accounts/login/")
    phone.get_by_role("link", name="ลืมรหัสผ่าน?").click()
    screenshot(phone, "forgot")
    phone.get_by_label("อีเมลของบัญชีของคุณ").fill("malee@example.com")
    phone.get_by_role("button", name="ส่งลิงก์ให้ฉัน").click()
    expect(phone.locator("h1")).to_have_text("ตรวจสอบอีเมลของคุณ")
    screenshot(phone, "sent")
    link = re.search(r"http://\S+/accounts/password/set/\S+", mail.outbox[-1].body).group(0)
    phone.goto(link)
    phone.locator("#id_new_password1").fill("ผ้าไหม-ขอนแก่น-2570")
    phone.locator("#id_new_password2").fill("ผ้าไหม-ขอนแก่น-2570")
    screenshot(phone, "choose")
    phone.get_by_role("button", name="บันทึกรหัสผ่าน").click()
    expect(phone.locator("h1")).to_have_text("บันทึกรหัสผ่านแล้ว")
    phone.get_by_role("link", name="เข้าสู่ระบบ").last.click()
    phone.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("malee")
    phone.get_by_label("รหัสผ่าน").fill("ผ้าไหม-ขอนแก่น-2570")
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(phone.get_by_role("link", name="เปลี่ยนรหัสผ่าน")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_hand_a_producer_a_sign_in_link_without_seeing_a_password(
    live_server, desktop, browser, make_user, screenshot
):
    make_user("staff", username="officer")
    producer = ProducerFactory(name_th="กลุ่มทอผ้าไหมบ้านโคกสี")
    desktop.goto(live_server.url + f"/backoffice/producers/{producer.pk}/")
    desktop.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("officer")
    desktop.get_by_label("รหัสผ่าน").fill(PASSWORD)
    desktop.get_by_role("button", name="เข้าสู่ระบบ").click()
    desktop.locator("#id_phone").fill("089-123-4567")
    desktop.get_by_role("button", name="เปิดบัญชีเข้าระบบผู้ประกอบการ").click()
    expect(desktop.locator(".qr-code svg")).to_be_visible()
    screenshot(desktop, "sign-in-link")
    link = desktop.locator(".copy-link").input_value()
    # The producer scans the code with their phone and chooses the password there.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="th-TH").new_page()
    phone.goto(link)
    phone.locator("#id_new_password1").fill("ทอผ้า-บ้านโนน-9")
    phone.locator("#id_new_password2").fill("ทอผ้า-บ้านโนน-9")
    phone.get_by_role("button", name="บันทึกรหัสผ่าน").click()
    expect(phone.locator("h1")).to_have_text("บันทึกรหัสผ่านแล้ว")
    phone.goto(live_server.url + "/portal/")
    phone.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("0891234567")
    phone.get_by_label("รหัสผ่าน").fill("ทอผ้า-บ้านโนน-9")
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(phone.locator("h1")).to_have_text("กลุ่มทอผ้าไหมบ้านโคกสี")


def test_a_manager_sets_up_the_second_factor_at_the_first_sign_in(live_server, phone, make_user, settings, screenshot):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    make_user("manager", username="boss")
    phone.goto(live_server.url + "/backoffice/")
    phone.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("boss")
    phone.get_by_label("รหัสผ่าน").fill(PASSWORD)
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(phone.locator("h1")).to_have_text("ตั้งค่าการยืนยันตัวตนสองขั้นตอน")
    expect(phone.locator(".otp-qr svg")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "setup")
    device = TOTPDevice.objects.get(user__username="boss")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    phone.get_by_label("รหัสจากแอปยืนยันตัวตน (หรือรหัสกู้คืน)").fill(code)
    phone.get_by_role("button", name="ยืนยัน").click()
    expect(phone.locator("h1")).to_have_text("รหัสกู้คืนของคุณ")
    expect(phone.locator(".recovery-codes li")).to_have_count(10)
    screenshot(phone, "recovery-codes")
    phone.get_by_role("link", name="ดำเนินการต่อ").click()
    expect(phone).to_have_url(re.compile(r"/backoffice/$"))
