"""Public holidays for carrier pickups: a parcel due to leave on one leaves on the next pickup day, a carrier's own
holiday moves only that carrier, and the manager keeps the list in the admin with Buddhist-era dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otop.core.thaidates import format_date
from otop.shipping import services
from otop.shipping.models import Carrier, PickupHoliday
from otop.shipping.parcels import parcel_for
from otop.shipping.rates import leaves_on, quotes_for_parcel

BANGKOK = ZoneInfo("Asia/Bangkok")
SUNDAY_BEFORE_SONGKRAN = datetime(2026, 4, 12, 10, 0, tzinfo=BANGKOK)
SCANS = ["SILK-1", "RICE-1", "RICE-1"]


@pytest.fixture
def songkran(db):
    """Songkran 2569: 13-15 April 2026 (Monday to Wednesday), no carrier takes parcels."""
    for day in (13, 14, 15):
        PickupHoliday.objects.create(day=date(2026, 4, day), name_th="วันสงกรานต์", name_en="Songkran")


def _ships_on(shop, now: datetime) -> dict[str, date]:
    parcel = parcel_for([(shop["silk"].variants.get(), 1)])
    quotes = quotes_for_parcel(parcel=parcel, postcode="40000", subtotal=Decimal("1250.50"), now=now)
    return {quote.option: quote.ships_on for quote in quotes}


def test_a_parcel_quoted_on_the_eve_of_songkran_leaves_the_next_working_day(shop, van):
    before = _ships_on(shop, SUNDAY_BEFORE_SONGKRAN)
    assert set(before.values()) == {date(2026, 4, 13)}  # no pickup on Sunday: Monday
    PickupHoliday.objects.bulk_create(
        PickupHoliday(day=date(2026, 4, day), name_th="วันสงกรานต์", name_en="Songkran") for day in (13, 14, 15)
    )
    with CaptureQueriesContext(connection) as queries:
        after = _ships_on(shop, SUNDAY_BEFORE_SONGKRAN)
    assert after == {option: date(2026, 4, 16) for option in before}  # Thursday, after the three days
    holiday_reads = [q for q in queries.captured_queries if "shipping_pickupholiday" in q["sql"]]
    assert len(holiday_reads) == 1  # one read for every carrier of the quote


def test_a_carriers_own_holiday_moves_only_that_carrier(shop, van):
    PickupHoliday.objects.create(day=date(2026, 4, 13), carrier=van.carrier, name_th="รถตู้หยุด", name_en="Van off")
    ships_on = _ships_on(shop, SUNDAY_BEFORE_SONGKRAN)
    assert ships_on["van:sameday"] == date(2026, 4, 14)
    assert ships_on["thailandpost:ems"] == ships_on["thailandpost:registered"] == date(2026, 4, 13)


def test_holidays_and_days_without_pickup_add_up(db, songkran):
    carrier = Carrier.objects.create(code="x", kind=Carrier.Kind.TABLE, cutoff_time=time(15, 0), pickup_weekdays="0")
    # Friday after the cut-off: Monday 13 is Songkran, so the next Monday.
    assert leaves_on(carrier, datetime(2026, 4, 10, 16, 0, tzinfo=BANGKOK)) == date(2026, 4, 20)
    PickupHoliday.objects.create(day=date(2026, 4, 20), carrier=carrier, name_th="หยุด")
    assert leaves_on(carrier, datetime(2026, 4, 10, 16, 0, tzinfo=BANGKOK)) == date(2026, 4, 27)


def test_booking_on_the_eve_of_a_holiday_stores_and_shows_the_day_after(client, paid_parcel, songkran):
    order = paid_parcel("thailandpost:ems")
    services.finish_packing(order=order, scanned=SCANS, actor=None)
    shipment = services.book_shipment(
        shipment=order.shipment, actor=None, tracking_number="EF582568151TH", now=SUNDAY_BEFORE_SONGKRAN
    )
    assert shipment.ships_on == date(2026, 4, 16)


def test_the_checkout_says_the_parcel_leaves_the_next_working_day(client, shop):
    """Against today's clock: the day the parcel would leave becomes a holiday, and the page moves on a day."""
    client.post("/cart/add/", {"variant": shop["silk"].variants.get().pk, "quantity": 1})
    address = {"province": "40", "district": "4001", "subdistrict": "400101", "postcode": "40000", "line1": "9"}
    query = {**address, "delivery_option": "thailandpost:ems"}
    ems = Carrier.objects.get(code="thailandpost")
    usual = leaves_on(ems)
    assert f"ออกจากศูนย์ {format_date(usual, language='th')}" in unescape(
        client.get("/checkout/address/", query).content.decode()
    )
    PickupHoliday.objects.create(day=usual, name_th="วันหยุดนักขัตฤกษ์", name_en="Public holiday")
    weekdays = {int(digit) for digit in ems.pickup_weekdays}
    expected = usual + timedelta(days=1)
    while expected.weekday() not in weekdays:
        expected += timedelta(days=1)
    page = unescape(client.get("/checkout/address/", query).content.decode())
    assert f"ออกจากศูนย์ {format_date(expected, language='th')}" in page
    assert f"ออกจากศูนย์ {format_date(usual, language='th')}" not in page
    english = unescape(client.get("/en/checkout/address/", query).content.decode())
    assert f"leaves {format_date(expected, language='en')}" in english


ADD = "/admin/shipping/pickupholiday/add/"


def _form(**fields) -> dict[str, str]:
    return {"day": "13/04/2569", "carrier": "", "name_th": "วันสงกรานต์", "name_en": "Songkran", **fields}


def test_the_manager_adds_a_holiday_with_a_buddhist_era_date_and_sees_it_in_the_thai_list(client_for):
    manager = client_for("manager")
    form = manager.get(ADD).content.decode()
    assert "พ.ศ." in form  # the help says which era
    response = manager.post(ADD, _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    holiday = PickupHoliday.objects.get()
    assert (holiday.day, holiday.carrier, holiday.name_th) == (date(2026, 4, 13), None, "วันสงกรานต์")
    listing = manager.get("/admin/shipping/pickupholiday/").content.decode()
    assert "13 เม.ย. 2569" in listing and "ทุกผู้ให้บริการขนส่ง" in listing
    change = manager.get(f"/admin/shipping/pickupholiday/{holiday.pk}/change/").content.decode()
    assert 'value="13/04/2569"' in change
    # A Common Era date is taken as well; this one is Flash's only.
    flash = Carrier.objects.get(code="flash")
    assert manager.post(ADD, _form(day="2026-04-14", carrier=str(flash.pk))).status_code == 302
    assert PickupHoliday.objects.get(carrier=flash).day == date(2026, 4, 14)


@pytest.mark.parametrize(
    "bad",
    [
        {"day": "31/02/2569"},  # no such day
        {"day": "วันสงกรานต์"},
        {"day": ""},
        {"name_th": ""},  # a Thai name is required
        {"carrier": "999999"},
    ],
)
def test_a_refused_holiday_changes_nothing(client_for, bad):
    existing = PickupHoliday.objects.create(day=date(2026, 4, 13), name_th="วันสงกรานต์", name_en="Songkran")
    manager = client_for("manager")
    response = manager.post(ADD, _form(**{"day": "14/04/2569", **bad}))
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert list(PickupHoliday.objects.values_list("pk", flat=True)) == [existing.pk]
    edit = manager.post(f"/admin/shipping/pickupholiday/{existing.pk}/change/", _form(**{"name_en": "Changed", **bad}))
    assert edit.status_code == 200 and edit.context["adminform"].form.errors
    existing.refresh_from_db()
    assert (existing.day, existing.name_en, existing.carrier_id) == (date(2026, 4, 13), "Songkran", None)


def test_a_day_already_closed_for_every_carrier_is_refused_once_more(client_for):
    PickupHoliday.objects.create(day=date(2026, 4, 13), name_th="วันสงกรานต์", name_en="Songkran")
    manager = client_for("manager")
    again = manager.post(ADD, _form(day="13/04/2026", name_en="Songkran again"))  # the same day, Common Era
    assert again.status_code == 200 and again.context["adminform"].form.errors
    assert PickupHoliday.objects.count() == 1
    flash = Carrier.objects.get(code="flash")
    assert manager.post(ADD, _form(carrier=str(flash.pk))).status_code == 302  # one carrier's own: a new row
    assert manager.post(ADD, _form(carrier=str(flash.pk))).status_code == 200  # but only once
    assert PickupHoliday.objects.count() == 2


@pytest.mark.parametrize("role", ["staff", "customer"])
def test_only_the_manager_edits_the_holidays(client_for, role):
    response = client_for(role).post(ADD, _form())
    assert response.status_code in (302, 403) and not PickupHoliday.objects.exists()


def test_the_quotes_api_says_the_day_after_the_holidays(client, shop, van, songkran, monkeypatch):
    monkeypatch.setattr("otop.shipping.rates.timezone.now", lambda: SUNDAY_BEFORE_SONGKRAN)
    body = {"items": [{"sku": "SILK-1", "qty": 1}], "address": {"postcode": "40000"}}
    response = client.post("/api/v1/shipping/quotes", body, content_type="application/json")
    assert response.status_code == 200
    assert {(quote["carrier"], quote["ships_on"]) for quote in response.json()} == {
        ("van", "2026-04-16"),
        ("thailandpost", "2026-04-16"),
    }
