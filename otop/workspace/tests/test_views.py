from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from otop.payments.models import Payment
from otop.workspace.models import Booking
from otop.workspace.services import create_booking
from otop.workspace.tests.conftest import at


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
    assert page.context["wifi"].password in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    ics = client.get(f"/workspace/b/{booking.token}/booking.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\nSTATUS:CONFIRMED\r\n" in ics.content


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
