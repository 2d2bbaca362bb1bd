"""Codes by SMS on a phone (390 px): a guest who gave only a phone number proves it and sees their order; a
refused SMS says why in Thai; a shopper signs up with a mobile number. The SMS provider is a fake of
ThaiBulkSMS's API v2 on 127.0.0.1, reached by our real client from the task queue."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from otop.orders import services as orders
from otop.orders.tests.conftest import shop  # noqa: F401 - two products in stock


def _code(fake) -> str:
    return re.search(r"\b(\d{6})\b", fake.sent[-1]["message"]).group(1)


def test_a_guest_with_only_a_phone_proves_it_by_sms_and_a_refused_sms_says_why(
    live_server, phone, request, fake_sms, screenshot
):
    request.getfixturevalue("shop")
    order = orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="สมศรี ใจดี", phone="0815556666", email=""),
        delivery_method="pickup",
    )
    phone.goto(live_server.url + "/privacy/guest/")
    expect(phone.get_by_text("หรือทาง SMS หากคุณให้เบอร์มือถือไว้")).to_be_visible()
    phone.get_by_label("อีเมลหรือเบอร์มือถือที่คุณให้ไว้").fill("081 555 6666")
    phone.get_by_role("button", name="ส่งรหัสให้ฉัน").click()
    expect(phone.get_by_text("ส่ง SMS ถึง 08•••••666 แล้ว")).to_be_visible()
    assert fake_sms.sent[-1]["number"] == "0815556666"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "sms-sent")

    phone.get_by_label("รหัส 6 หลักจากอีเมลหรือ SMS").fill(_code(fake_sms))
    phone.get_by_role("button", name="ตรวจรหัส").click()
    expect(phone.get_by_text("คำสั่งซื้อ 1 รายการ")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "sms-data")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="ดาวน์โหลดเป็น JSON").click()
    assert order.number in open(download.value.path(), encoding="utf-8").read()

    phone.get_by_role("button", name="เสร็จแล้ว").click()
    fake_sms.credit = 0
    phone.get_by_label("อีเมลหรือเบอร์มือถือที่คุณให้ไว้").fill("0815556666")
    phone.get_by_role("button", name="ส่งรหัสให้ฉัน").click()
    expect(phone.get_by_role("alert")).to_contain_text("เครดิต SMS ของศูนย์หมด")
    assert len(fake_sms.sent) == 1
    screenshot(phone, "sms-no-credit")


def test_a_shopper_signs_up_with_a_mobile_number_on_a_phone(live_server, phone, fake_sms, screenshot):
    phone.goto(live_server.url + "/accounts/signup/")
    phone.get_by_role("link", name="สมัครด้วยเบอร์มือถือแทน").click()
    phone.get_by_label("ชื่อของคุณ").fill("สมชาย ขายผ้า")
    phone.get_by_label("เบอร์มือถือ").fill("089 123 4567")
    phone.locator("#id_password1").fill("ผ้าไหม-2569-x")
    phone.locator("#id_password2").fill("ผ้าไหม-2569-x")
    phone.get_by_role("button", name="ส่งรหัสให้ฉัน").click()
    expect(phone.get_by_text("ส่ง SMS ถึง 08•••••567 แล้ว")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "signup-code")
    phone.get_by_label("รหัส 6 หลักจาก SMS").fill(_code(fake_sms))
    phone.get_by_role("button", name="ตรวจรหัส").click()
    expect(phone).to_have_url(re.compile(r"/accounts/$"))
    screenshot(phone, "signup-done")
