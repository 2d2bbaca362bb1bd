"""The pages whose parts now come from several apps: the producer's pages (applications from
selection, products from catalog), the story page (stock from inventory) and a booking's payments."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.producers.tests.factories import ProducerFactory
from otop.search.tests.factories import listed_product
from otop.selection.tests.factories import ApplicationFactory
from otop.workspace.services import create_booking, record_booking_payment
from otop.workspace.tests.factories import SpaceFactory


def _sign_in(page, base_url: str, path: str, username: str) -> None:
    page.goto(base_url + path)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_producers_pages_show_its_applications_and_products(live_server, phone, desktop, make_user, screenshot):
    producer = ProducerFactory(user=make_user("producer", phone="0891234567"), name_th="กลุ่มทอผ้าบ้านโคกสี")
    ApplicationFactory(producer=producer, name_th="ผ้าไหมมัดหมี่ลายใหม่")
    product = listed_product(name_th="ผ้าขาวม้าทอมือ", price="250.00", producer=producer)
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.SHOP), quantity=3, actor=None
    )
    make_user("staff", username="officer")

    _sign_in(phone, live_server.url, "/portal/", "0891234567")
    expect(phone.locator(".application-card")).to_contain_text("ผ้าไหมมัดหมี่ลายใหม่")
    expect(phone.get_by_role("link", name="สมัครคัดเลือกสินค้า")).to_be_visible()
    screenshot(phone, "portal")

    phone.goto(f"{live_server.url}/producers/{producer.pk}/")
    expect(phone.locator(".product")).to_contain_text("ผ้าขาวม้าทอมือ")
    screenshot(phone, "public")

    phone.goto(f"{live_server.url}/products/{product.code}/")
    expect(phone.locator("h1")).to_have_text("ผ้าขาวม้าทอมือ")
    expect(phone.locator(".availability")).to_contain_text("3")
    screenshot(phone, "story")

    _sign_in(desktop, live_server.url, f"/backoffice/producers/{producer.pk}/", "officer")
    expect(desktop.locator("body")).to_contain_text("ผ้าไหมมัดหมี่ลายใหม่")
    expect(desktop.locator("body")).to_contain_text("ผ้าขาวม้าทอมือ")
    screenshot(desktop, "backoffice")


def test_a_bookings_payments_show_on_the_staff_page(live_server, desktop, make_user, screenshot):
    manager = make_user("manager", username="boss")
    day = timezone.localdate() + timedelta(days=3)
    starts_at = timezone.make_aware(datetime.combine(day, time(10)))
    booking = create_booking(
        space=SpaceFactory(price_per_hour=Decimal("300.00")),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        name="คุณสมศรี",
        phone="0812345678",
    )
    record_booking_payment(
        booking=booking, method="transfer", amount=Decimal("200.00"), actor=manager, reference="KB-77"
    )

    _sign_in(desktop, live_server.url, f"/workspace/staff/bookings/{booking.pk}/", "boss")
    expect(desktop.locator("body")).to_contain_text("KB-77")
    expect(desktop.locator("body")).to_contain_text("200.00")
    screenshot(desktop, "booking")
