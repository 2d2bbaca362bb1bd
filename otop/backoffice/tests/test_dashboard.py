"""The back-office home: the day's figures, each a link, each one query, each shown only to who may open its page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otop.accounts import roles
from otop.backoffice import selectors as home
from otop.core.models import CenterProfile
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

PANEL_KEYS = [key for key, _permission, _build in home.PANELS]


def _order(sku: str) -> Order:
    return orders.place_order(
        items=[(sku, 1)],
        customer=orders.CustomerDetails(name="ลูกค้า", phone="0812223333", email="buyer@example.com"),
        delivery_method="pickup",
    )


def _booking(space, *, hours_from_now: int, **extra) -> Booking:
    starts_at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
        hours=hours_from_now
    )
    return Booking.objects.create(
        space=space, reference=f"B{Booking.objects.count() + 1:05d}", token=f"t{Booking.objects.count()}",
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), occupied_until=starts_at + timedelta(hours=1),
        price_per_hour=Decimal("300.00"), amount_due=Decimal("300.00"), **extra,
    )  # fmt: skip


@pytest.fixture
def day_of_work(db):
    """Three web orders (unpaid, paid, packed), an item under its minimum, two applications, today's bookings."""
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    silk = listed_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk", price="1234.50", sku="SILK-1")
    variant = silk.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.ONLINE), quantity=10, actor=None)
    inventory.set_threshold(variant=variant, minimum=50)
    _order("SILK-1")  # waits for payment
    paid, packed = _order("SILK-1"), _order("SILK-1")
    for order in (paid, packed):
        orders.confirm_promptpay_payment(order=order, actor=None)
    orders.change_status(order=packed, to_status=Order.Status.PACKED, actor=None)
    roll_up_new_documents()
    ApplicationFactory(status=Application.Status.SUBMITTED)
    ApplicationFactory(status=Application.Status.UNDER_REVIEW)
    ApplicationFactory(status=Application.Status.APPROVED)
    room = SpaceFactory()
    _booking(room, hours_from_now=0, status=Booking.Status.CHECKED_IN, payment_status=Booking.PaymentStatus.PAID)
    _booking(room, hours_from_now=2)
    _booking(room, hours_from_now=4, status=Booking.Status.CANCELLED)
    _booking(room, hours_from_now=24 * 3)
    return {"paid_total": paid.total + packed.total}


def _panel(html: str, key: str) -> str:
    match = re.search(rf'<section class="day-panel" id="panel-{key}".*?</section>', html, re.S)
    assert match, f"no panel {key}"
    return match.group(0)


def _figures(panel_html: str) -> dict[str, tuple[str, str]]:
    """label → (value, link) of a panel's figures."""
    rows = re.findall(
        r'<li><a href="([^"]+)"><span class="day-figure-label">([^<]+)</span> <strong[^>]*>([^<]+)</strong>', panel_html
    )
    return {label: (value, url.replace("&amp;", "&")) for url, label, value in rows}


def test_the_manager_sees_the_day_in_figures_each_a_link_that_opens(client_for, day_of_work):
    client = client_for(roles.MANAGER)
    html = client.get("/backoffice/").content.decode()
    today = timezone.localdate()
    day = re.search(r'<p class="help">วันนี้ ([^<]+)</p>', html).group(1)
    assert day.endswith(str(today.year + 543))  # the Buddhist-era year on the Thai page

    sales = _figures(_panel(html, "sales"))
    assert sales["เว็บไซต์"][0] == f"฿{day_of_work['paid_total']:,.2f}" == "฿2,469.00"
    assert sales["เคาน์เตอร์ร้านค้า"][0] == "฿0.00"
    assert "฿2,469.00" in _panel(html, "sales")  # the day's total

    waiting = _figures(_panel(html, "orders"))
    assert [value for value, _url in waiting.values()] == ["1", "1", "1"]
    assert waiting["รอชำระเงิน"][1] == "/orders/?status=pending_payment"
    assert _figures(_panel(html, "low-stock"))["สินค้าที่เหลือถึงหรือต่ำกว่าขั้นต่ำ"][0] == "1"
    assert [value for value, _url in _figures(_panel(html, "applications")).values()] == ["1", "1"]
    room = _figures(_panel(html, "room"))
    assert (room["การจอง"][0], room["เช็กอินแล้ว"][0], room["รอชำระ"][0]) == ("2", "1", "1")

    links = {url for key in PANEL_KEYS for _value, url in _figures(_panel(html, key)).values()}
    assert len(links) >= 8
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_orders_figures_match_the_lists_they_link_to(client_for, day_of_work):
    client = client_for(roles.MANAGER)
    html = client.get("/backoffice/").content.decode()
    for value, url in _figures(_panel(html, "orders")).values():
        listed = client.get(url).content.decode().count('<tr>\n    <td><a href="/orders/')
        assert listed == int(value), url


@pytest.mark.parametrize(
    "role, shown",
    [
        (roles.MANAGER, PANEL_KEYS),
        (roles.STAFF, ["orders", "low-stock", "applications", "room"]),
    ],
)
def test_a_figure_shows_only_to_a_role_that_may_open_its_page(make_user, role, shown, db):
    user = make_user(role)
    client = Client()
    client.force_login(user)
    html = client.get("/backoffice/").content.decode()
    assert re.findall(r'<section class="day-panel" id="panel-([a-z-]+)"', html) == shown
    permissions = dict((key, permission) for key, permission, _build in home.PANELS)
    for key in PANEL_KEYS:
        assert user.has_perm(permissions[key]) == (key in shown)


@pytest.mark.parametrize("role", [roles.CASHIER, roles.COMMITTEE, roles.PRODUCER, roles.CUSTOMER])
def test_roles_without_the_back_office_see_no_figures(client_for, role, day_of_work):
    response = client_for(role).get("/backoffice/")
    assert response.status_code in (302, 403)
    assert b"day-panel" not in response.content


def test_each_figure_costs_one_query(make_user, day_of_work, django_assert_num_queries):
    manager = make_user(roles.MANAGER)
    manager.has_perm("orders.view_order")  # the permissions are read once per request, not per figure
    today = timezone.localdate()
    for _key, _permission, build in home.PANELS:
        with django_assert_num_queries(1):
            build(today)


def _page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/backoffice/").status_code == 200
    return len(queries)


def test_the_page_costs_one_query_per_panel_whatever_the_data(make_user, day_of_work, monkeypatch):
    client = Client()
    client.force_login(make_user(roles.MANAGER))
    _page_queries(client)  # caches warmed (the center's profile, the session)
    with_panels = _page_queries(client)
    for extra in range(3):  # more of everything: still the same number of queries
        _order("SILK-1")
        ApplicationFactory(status=Application.Status.SUBMITTED)
        DailySales.objects.create(day=timezone.localdate(), channel="line", producer_id=extra + 1, net=Decimal("10.00"))
    assert _page_queries(client) == with_panels
    monkeypatch.setattr(home, "PANELS", [])
    assert with_panels - _page_queries(client) == len(PANEL_KEYS)


def test_sales_come_from_every_channel_in_baht_to_the_satang(client_for, db):
    today = timezone.localdate()
    DailySales.objects.create(day=today, channel="counter", producer_id=1, net=Decimal("1000.25"))
    DailySales.objects.create(day=today, channel="counter", producer_id=2, net=Decimal("234.25"))
    DailySales.objects.create(day=today, channel="api", producer_id=1, net=Decimal("99.99"))
    DailySales.objects.create(day=today - timedelta(days=1), channel="line", producer_id=1, net=Decimal("500.00"))
    html = client_for(roles.MANAGER).get("/en/backoffice/").content.decode()
    sales = _figures(_panel(html, "sales"))
    assert sales["Shop counter"][0] == "฿1,234.50"
    assert sales["API"][0] == "฿99.99"
    assert sales["LINE"][0] == "฿0.00"  # yesterday's sale is not today's
    assert "Facebook" not in sales  # a channel that sold nothing today and is not an everyday one stays out
    assert "฿1,334.49" in _panel(html, "sales")
    day = re.search(r'<p class="help">Today, ([^<]+)</p>', html).group(1)
    assert day.endswith(str(today.year))  # Gregorian year on the English page


def test_every_page_stays_reachable_below_the_figures_grouped(client_for, db):
    html = client_for(roles.MANAGER).get("/backoffice/").content.decode()
    below = html.split("<h2>ทุกหน้า</h2>", 1)[1]
    for url in ["/backoffice/audit/", "/backoffice/center/", "/admin/"]:
        assert f'href="{url}"' in below
    assert below.count('<section class="link-group">') >= 5
    assert 'href="/backoffice/"' not in below  # the home does not link to itself
