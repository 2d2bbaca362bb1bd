"""A booking's payment reads ชำระแล้ว / รอชำระ in the co-working room, not another app's จ่ายแล้ว / รอจ่าย
(the same English words in the consignment settlements' catalogue come first)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from otop.workspace.services import create_booking
from otop.workspace.tests.conftest import at


def test_staff_see_to_be_paid_then_paid_in_thai(room, client_for):
    day = timezone.localdate() + timedelta(days=1)
    booking = create_booking(space=room, starts_at=at(day, 10), ends_at=at(day, 11), name="A", phone="0812345678")
    client = client_for("staff")
    url = f"/workspace/staff/bookings/{booking.pk}/"

    unpaid = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "รอชำระ" in unpaid
    assert "รอจ่าย" not in unpaid

    client.post(f"/workspace/staff/bookings/{booking.pk}/payment", {"method": "cash", "amount": "300.00"})
    paid = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ชำระแล้ว" in paid
    assert "จ่ายแล้ว" not in paid
    calendar = client.get(f"/workspace/staff/?day={day:%Y-%m-%d}", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "ชำระแล้ว" in calendar and "จ่ายแล้ว" not in calendar

    english = client.get("/en" + url).content.decode()
    assert "Paid" in english
