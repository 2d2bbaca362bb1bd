"""A producer applies from a phone, three committee members score, the chair approves, the product is listed."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.catalog.models import Product
from otop.producers.tests.factories import ProducerFactory
from otop.selection.models import Application, Criterion


def _sign_in(page, base_url: str, path: str, username: str) -> None:
    page.goto(base_url + path)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (180, 60, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_producer_applies_committee_scores_chair_approves_product_is_listed(
    live_server, phone, browser, make_user, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    producer_user = make_user("producer", phone="0891234567")
    producer = ProducerFactory(user=producer_user, name_th="กลุ่มทอผ้าไหมบ้านโคกสี", email="koksi@example.com")
    committee = [make_user("committee", username=f"member{n}", first_name=f"กรรมการ{n}") for n in (1, 2, 3)]
    make_user("staff", username="officer")

    # 1. The producer signs in with its phone number and applies, on a phone-sized screen.
    _sign_in(phone, live_server.url, "/portal/", "089-123-4567")
    expect(phone.locator("h1")).to_have_text("กลุ่มทอผ้าไหมบ้านโคกสี")
    phone.get_by_role("link", name="สมัครคัดเลือกสินค้า").click()
    phone.get_by_label("ชื่อสินค้า (ภาษาไทย)").fill("ผ้าไหมมัดหมี่ลายขอนแก่น")
    phone.get_by_label("หมวดหมู่").select_option(label="ผ้าและเครื่องแต่งกาย")
    phone.get_by_label("ราคาที่เสนอ รวม VAT (บาท)").fill("1890.00")
    phone.get_by_label("รายละเอียด (ภาษาไทย)").fill("ผ้าไหมทอมือ ย้อมสีธรรมชาติ")
    phone.get_by_label("ส่งตัวอย่างสินค้าให้ศูนย์แล้ว").check()
    phone.get_by_label("รูปสินค้า").set_input_files([{"name": "silk.png", "mimeType": "image/png", "buffer": _png()}])
    phone.get_by_role("button", name="ส่งให้คณะกรรมการ").click()
    expect(phone.locator("#application-status")).to_have_text("ยื่นแล้ว")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    application = Application.objects.get()
    assert application.proposed_price == Decimal("1890.00")
    assert application.photos.count() == 1

    # 2. Staff put it on a meeting chaired by member1.
    staff_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
    _sign_in(staff_page, live_server.url, "/selection/backoffice/meetings/new/", "officer")
    staff_page.get_by_label("หัวข้อ").fill("ประชุมคัดเลือกสินค้า ครั้งที่ 1/2569")
    staff_page.get_by_label("วันที่").fill("2026-11-25")
    staff_page.get_by_label("ประธาน").select_option(label="member1")
    staff_page.get_by_label("ผ้าไหมมัดหมี่ลายขอนแก่น").check()
    staff_page.get_by_role("button", name="จัดการประชุม").click()
    expect(staff_page.locator("h1")).to_have_text("ประชุมคัดเลือกสินค้า ครั้งที่ 1/2569")

    # 3. Three members score it from the meeting view.
    criteria = list(Criterion.objects.filter(is_active=True))
    pages = {}
    for member, value in zip(committee, ("4", "5", "4"), strict=True):
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
        pages[member.username] = page
        _sign_in(page, live_server.url, "/selection/", member.username)
        page.get_by_role("link", name="ประชุมคัดเลือกสินค้า ครั้งที่ 1/2569").click()
        page.get_by_role("link", name="ผ้าไหมมัดหมี่ลายขอนแก่น").click()
        for criterion in criteria:
            page.get_by_label(criterion.name_th, exact=True).select_option(value)
        page.get_by_role("button", name="บันทึกคะแนน").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกคะแนนแล้ว")

    # 4. The chair sees the rule's proposal and approves with a reason.
    chair = pages["member1"]
    chair.get_by_role("link", name="ผ้าไหมมัดหมี่ลายขอนแก่น").click()
    expect(chair.locator("#proposal")).to_have_text("อนุมัติ")
    expect(chair.locator("#mean-score")).to_have_text("4.33")
    chair.get_by_role("combobox", name="มติ").select_option("approve")
    chair.get_by_role("textbox", name="เหตุผล").fill("คุณภาพดี ลายผ้าเป็นเอกลักษณ์ของขอนแก่น")
    chair.get_by_role("button", name="ยืนยันมติ").click()
    expect(chair.locator("#application-status")).to_have_text("อนุมัติแล้ว")

    # 5. The product is in the catalogue, on the producer's public page.
    product = Product.objects.get(application__pk=application.pk)
    assert product.status == Product.Status.LISTED
    assert product.variants.get().price == application.proposed_price
    phone.goto(f"{live_server.url}/producers/{producer.pk}/")
    expect(phone.locator(".product")).to_contain_text("ผ้าไหมมัดหมี่ลายขอนแก่น")

    # 6. The producer sees the decision and has its notification.
    phone.goto(f"{live_server.url}/portal/applications/{application.pk}/")
    expect(phone.locator("#application-status")).to_have_text("อนุมัติแล้ว")
    expect(phone.locator(".decision")).to_contain_text("คุณภาพดี ลายผ้าเป็นเอกลักษณ์ของขอนแก่น")
    approvals = [message for message in mail.outbox if "อนุมัติ" in message.subject]
    assert [message.to for message in approvals] == [["koksi@example.com"]]
    response = phone.request.get(f"{live_server.url}/selection/applications/{application.pk}/letter.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert re.match(rb"%PDF-", response.body())
