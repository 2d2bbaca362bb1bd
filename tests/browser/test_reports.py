"""The province officer reads the sales dashboard on a phone: year to date against the target, every
district ranked, the numbers beside each chart; drills down to a district's producers and their products."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.core.models import CenterProfile
from otop.demo.services import seed_demo
from otop.reports.models import DailySales
from otop.reports.selectors import current_buddhist_year, gregorian_year


def _sign_in(page, base_url: str, path: str, username: str) -> None:
    page.goto(base_url + path)
    page.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_the_province_officer_reads_the_dashboard_on_a_phone(live_server, phone, make_user, screenshot):
    CenterProfile.objects.update(promptpay_id="0994000000006")
    seed_demo(products=120, seed=2569)
    make_user("province_officer", username="officer")
    year = current_buddhist_year()
    net = DailySales.objects.filter(day__year=gregorian_year(year)).aggregate(n=Sum("net"))["n"] or Decimal(0)

    refused = []
    phone.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    _sign_in(phone, live_server.url, "/reports/", "officer")
    expect(phone.locator("h1")).to_contain_text(f"ยอดขายเทียบเป้าหมาย พ.ศ. {year}")
    expect(phone.locator('[data-figure="net"]')).to_have_text(f"฿{net:,.2f}")
    expect(phone.locator(".note").first).to_contain_text("ย่อส่วน 1 :")
    district_rows = phone.locator("#by-district ~ .chart-and-table table tbody tr")
    assert district_rows.count() >= 26
    expect(phone.locator("svg.chart").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "dashboard")

    # The district map: 26 squares, each named for screen readers, fitting the phone's width.
    district_map = phone.locator("svg.district-map")
    district_map.scroll_into_view_if_needed()
    expect(district_map).to_be_visible()
    assert district_map.locator("a").count() == 26
    assert district_map.bounding_box()["width"] <= 390
    expect(district_map.get_by_role("link", name="เมืองขอนแก่น: ฿", exact=False)).to_have_count(1)
    screenshot(phone, "district-map")
    assert refused == []

    phone.locator("#by-district ~ .chart-and-table table tbody tr th a").first.click()
    expect(phone.locator("h1")).to_contain_text("อำเภอ")
    screenshot(phone, "district")
    phone.locator("table tbody tr th a").first.click()
    expect(phone.locator("#products")).to_be_visible()
    assert phone.locator("table").first.locator("tbody tr").count() >= 1
    screenshot(phone, "producer")

    # Nothing else is open to the officer.
    response = phone.goto(live_server.url + "/backoffice/")
    assert response.status == 403
