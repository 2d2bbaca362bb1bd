from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from otop.payments.models import Payment
from otop.workspace.models import Booking
from otop.workspace.selectors import wifi_for_booking
from otop.workspace.services import create_booking, record_booking_payment
from otop.workspace.tests.conftest import at
from otop.workspace.tests.factories import SpaceFactory


def form_for(day, start="10:00", end="12:00", **extra):
    data = {"day": f"{day:%Y-%m-%d}", "start": start, "end": end, "name": "สมหญิง", "phone": "081-234-5678",
            "email": "", "purpose": "ประชุม", "attendees": "4"}  # fmt: skip
    data.update(extra)
    return data


def test_booking_page_books_and_shows_the_confirmation_in_thai(room, client):
    day = timezone.localdate() + timedelta(days=2)
    response = client.post("/workspace/meeting-room/book", form_for(day))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/b/{booking.token}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "workspace/booking.html" in [t.name for t in page.templates]
    assert page["X-Robots-Tag"] == "noindex"
    ics = client.get(f"/workspace/b/{booking.token}/booking.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\nSTATUS:CONFIRMED\r\n" in ics.content


def test_the_wifi_password_shows_only_once_the_booking_is_paid(room, client, make_user):
    day = timezone.localdate() + timedelta(days=2)
    booking = create_booking(space=room, starts_at=at(day, 10), ends_at=at(day, 12), name="A", phone="0812345678")
    password = wifi_for_booking(booking).password
    assert booking.payment_status == Booking.PaymentStatus.UNPAID
    page = client.get(f"/workspace/b/{booking.token}/")
    assert page.context["wifi"] is None and password not in page.content.decode()
    assert "รหัส WiFi จะแสดงที่นี่เมื่อชำระเงินแล้ว" in page.content.decode()
    assert password.encode() not in client.get(f"/workspace/b/{booking.token}/booking.ics").content
    record_booking_payment(booking=booking, method=Payment.Method.CASH, amount=booking.amount_due,
                           actor=make_user("staff"))  # fmt: skip
    page = client.get(f"/workspace/b/{booking.token}/")
    assert page.context["wifi"].password == password and password in page.content.decode()
    assert password.encode() in client.get(f"/workspace/b/{booking.token}/booking.ics").content


def test_a_free_booking_shows_its_wifi_at_once(client, db):
    free = SpaceFactory(slug="free-desk", price_per_hour=Decimal("0.00"))
    day = timezone.localdate() + timedelta(days=2)
    booking = create_booking(space=free, starts_at=at(day, 10), ends_at=at(day, 11), name="A", phone="0812345678")
    assert booking.payment_status == Booking.PaymentStatus.FREE
    assert wifi_for_booking(booking).password in client.get(f"/workspace/b/{booking.token}/").content.decode()


def test_the_booking_form_offers_an_end_after_its_start(room, client):
    for query, start, end in (
        ("", "10:00", "11:00"),
        ("?start=14:30", "14:30", "15:30"),
        ("?start=17:30", "17:30", "18:00"),
    ):
        form = client.get(f"/workspace/meeting-room/{query}").context["form"]
        assert (form["start"].value(), form["end"].value()) == (start, end)
        assert form["end"].value() > form["start"].value()
    html = client.get("/workspace/meeting-room/").content.decode()
    assert 'value="11:00" selected' in html


def test_a_taken_time_is_refused_on_the_page_and_nothing_changes(room, client):
    day = timezone.localdate() + timedelta(days=2)
    create_booking(space=room, starts_at=at(day, 11), ends_at=at(day, 12), name="A", phone="0812345678")
    response = client.post("/en/workspace/meeting-room/book", form_for(day))
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "Sorry, this time is already booked. Please choose another time."
    ]
    assert Booking.objects.count() == 1


def test_private_link_cancels_and_an_unknown_link_is_not_found(room, client):
    day = timezone.localdate() + timedelta(days=3)
    booking = create_booking(space=room, starts_at=at(day, 11), ends_at=at(day, 12), name="A", phone="0812345678")
    assert client.get("/workspace/b/" + "z" * 43 + "/").status_code == 404
    response = client.post(f"/workspace/b/{booking.token}/cancel")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_customer_moves_by_the_private_link(room, client):
    day = timezone.localdate() + timedelta(days=3)
    booking = create_booking(space=room, starts_at=at(day, 11), ends_at=at(day, 12), name="A", phone="0812345678")
    response = client.post(
        f"/workspace/b/{booking.token}/move", {"day": f"{day:%Y-%m-%d}", "start": "14:00", "end": "16:00"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (at(day, 14), at(day, 16))


def test_cashier_records_a_counter_payment_from_the_staff_page(room, client_for):
    day = timezone.localdate() + timedelta(days=1)
    booking = create_booking(space=room, starts_at=at(day, 10), ends_at=at(day, 11), name="A", phone="0812345678")
    client = client_for("staff")
    response = client.post(f"/workspace/staff/bookings/{booking.pk}/payment", {"method": "cash", "amount": "300.00"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.payment_status == Booking.PaymentStatus.PAID
    assert Payment.objects.get().amount == Decimal("300.00")
