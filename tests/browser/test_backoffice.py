"""The back office as the manager sees it on a desktop: the day's figures on the home, the audit log in words,
the center's profile with a checkbox of normal size."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.core.services import update_center_profile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services as orders
from otop.orders.models import Order
from otop.reports.models import DailySales
from otop.reports.rollup import roll_up_new_documents
from otop.search.tests.factories import listed_product
from otop.selection.models import Application
from otop.selection.tests.factories import ApplicationFactory
from otop.workspace.models import Booking
from otop.workspace.tests.factories import SpaceFactory


def _sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def _order(sku: str) -> Order:
    return orders.place_order(
        items=[(sku, 1)],
        customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333", email="buyer@example.com"),
        delivery_method="pickup",
    )


def _a_day_at_the_center(manager) -> Order:
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1234.50", sku="SILK-1")
    variant = silk.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.ONLINE), quantity=10, actor=None)
    inventory.set_threshold(variant=variant, minimum=20)
    _order("SILK-1")
    paid = _order("SILK-1")
    orders.confirm_promptpay_payment(order=paid, actor=manager)
    roll_up_new_documents()
    today = timezone.localdate()
    DailySales.objects.create(day=today, channel="counter", producer_id=1, net=Decimal("3250.75"))
    DailySales.objects.create(day=today, channel="tea", producer_id=0, net=Decimal("180.00"))
    ApplicationFactory(status=Application.Status.SUBMITTED)
    room = SpaceFactory(name_th="ห้องประชุม Co-working")
    starts_at = timezone.localtime().replace(hour=13, minute=0, second=0, microsecond=0)
    Booking.objects.create(
        space=room, reference="B00001", token="t-1", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
        occupied_until=starts_at + timedelta(hours=2), name="สมหญิง ใจดี",
        price_per_hour=Decimal("300.00"), amount_due=Decimal("600.00"),
    )  # fmt: skip
    return paid


def test_the_manager_reads_the_day_on_the_back_office_home_and_opens_a_figure(
    live_server, desktop, make_user, screenshot
):
    manager = make_user("manager", username="boss")
    paid = _a_day_at_the_center(manager)
    page = desktop
    _sign_in(page, live_server.url + "/backoffice/", "boss")

    expect(page.locator("h1")).to_have_text("ระบบหลังร้าน")
    expect(page.locator("main")).to_contain_text(str(timezone.localdate().year + 543))
    sales = page.locator("#panel-sales")
    expect(sales.locator(".day-total")).to_contain_text(f"฿{paid.total + Decimal('3430.75'):,.2f}")
    expect(sales.get_by_role("link", name=re.compile("เว็บไซต์"))).to_contain_text(f"฿{paid.total:,.2f}")
    expect(sales.get_by_role("link", name=re.compile("เคาน์เตอร์ร้านค้า"))).to_contain_text("฿3,250.75")
    expect(page.locator("#panel-low-stock")).to_contain_text("1")
    expect(page.locator("#panel-room").get_by_role("link", name=re.compile("การจอง"))).to_contain_text("1")
    expect(page.get_by_role("heading", name="ทุกหน้า")).to_be_visible()
    expect(page.get_by_role("link", name="บันทึกการใช้งาน")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "dashboard")

    page.locator("#panel-orders").get_by_role("link", name=re.compile("ชำระแล้ว รอแพ็ก")).click()
    expect(page).to_have_url(re.compile(r"/orders/\?status=paid$"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(paid.number)


def test_the_audit_log_reads_in_words_not_codes(live_server, desktop, make_user, screenshot):
    manager = make_user("manager", username="boss")
    paid = _a_day_at_the_center(manager)
    update_center_profile(actor=manager, line_oa_id="@otopkk")
    page = desktop
    _sign_in(page, live_server.url + "/backoffice/audit/", "boss")

    expect(page.locator("h1")).to_have_text("บันทึกการใช้งาน")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    actions = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    targets = page.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert actions and targets
    code = re.compile(r"^[a-z_]+(\.[a-z_]+)+")
    assert not [text for text in actions + targets if code.match(text.strip())], (actions, targets)
    expect(page.locator("tbody")).to_contain_text(f"คำสั่งซื้อ #{paid.pk}")
    expect(page.locator("tbody")).to_contain_text("boss")
    screenshot(page, "audit-log")


def test_the_center_profile_has_a_normal_sized_checkbox(live_server, desktop, make_user, screenshot):
    make_user("manager", username="boss")
    page = desktop
    _sign_in(page, live_server.url + "/backoffice/center/", "boss")

    checkbox = page.get_by_label("เปิดวันหยุดนักขัตฤกษ์")
    expect(checkbox).to_be_checked()
    box = checkbox.bounding_box()
    assert 16 <= box["width"] <= 32 and 16 <= box["height"] <= 32, box
    field = page.locator(".field", has=checkbox).bounding_box()
    assert field["height"] < 120, field  # the field is a line or two, not a stretched input
    checkbox.uncheck()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกข้อมูลศูนย์แล้ว")
    expect(page.get_by_label("เปิดวันหยุดนักขัตฤกษ์")).not_to_be_checked()
    assert CenterProfile.objects.get(pk=CenterProfile.SINGLETON_ID).open_on_public_holidays is False
    checkbox = page.get_by_label("เปิดวันหยุดนักขัตฤกษ์")
    checkbox.scroll_into_view_if_needed()
    screenshot(page, "center-profile")
