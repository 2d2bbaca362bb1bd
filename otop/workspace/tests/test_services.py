from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from otop.core.models import OpeningException
from otop.notifications.models import OutboundMessage
from otop.payments.models import Payment
from otop.workspace import errors
from otop.workspace.models import Booking, BookingEvent, Space, WifiCredential
from otop.workspace.selectors import day_availability, monthly_utilisation, wifi_for_booking
from otop.workspace.services import (
    block_time,
    cancel_booking,
    check_in_booking,
    create_booking,
    mark_no_show,
    move_booking,
    record_booking_payment,
    rotate_wifi_password,
    send_due_reminders,
)
from otop.workspace.tests.conftest import NOW, TOMORROW, at
from otop.workspace.tests.factories import SpaceFactory


def book(space, starts_at, ends_at, **extra):
    values = {"name": "สมหญิง", "phone": "0812345678", "email": "somying@example.com", "purpose": "ประชุม", "now": NOW}
    values.update(extra)
    return create_booking(space=space, starts_at=starts_at, ends_at=ends_at, **values)


def test_booking_tomorrow_holds_the_time_prices_it_and_queues_the_confirmation(
    room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.amount_due == Decimal("600.00")
    assert booking.payment_status == Booking.PaymentStatus.UNPAID
    assert booking.occupied_until == at(TOMORROW, 12)
    assert len(booking.token) >= 40
    wifi = wifi_for_booking(booking)
    assert wifi.network_name == "OTOP-Meeting"
    assert len(wifi.password) == 10
    message = OutboundMessage.objects.get(event="workspace_booking_confirmed")
    assert message.recipient == "somying@example.com"
    assert wifi.password not in message.body  # not before it is paid, as on the booking page
    assert "รหัส WiFi จะแสดงในหน้าการจองเมื่อชำระเงินแล้ว" in message.body
    assert f"/workspace/b/{booking.token}/" in message.body
    assert "10:00–12:00" in message.body
    assert list(BookingEvent.objects.values_list("action", flat=True)) == ["created"]


def test_producers_book_at_the_member_price(room, make_user):
    producer = make_user("producer")
    booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12), user=producer)
    assert booking.amount_due == Decimal("0.00")
    message = OutboundMessage.objects.get(event="workspace_booking_confirmed")
    assert wifi_for_booking(booking).password in message.body  # free of charge: the WiFi comes at once
    assert booking.payment_status == Booking.PaymentStatus.FREE


@pytest.mark.parametrize(
    ("start", "end", "error", "message"),
    [
        ((7, 0), (9, 0), errors.OutsideOpeningHours, "Bookings must be within opening hours, 08:00–18:00 on this day."),
        (
            (17, 0),
            (18, 30),
            errors.OutsideOpeningHours,
            "Bookings must be within opening hours, 08:00–18:00 on this day.",
        ),
        ((10, 15), (11, 15), errors.OffTheSlotGrid, "Bookings start and end on a 30-minute grid (e.g. 10:00, 10:30)."),
        ((10, 0), (10, 30), errors.TooShort, "The shortest booking is 60 minutes."),
        ((8, 0), (17, 0), errors.TooLong, "The longest booking is 480 minutes."),
        ((12, 0), (11, 0), errors.TooShort, "The end must be after the start."),
    ],
)
def test_bad_times_are_refused_with_a_clear_message_and_nothing_is_booked(room, settings, start, end, error, message):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(error) as caught:
        book(room, at(TOMORROW, *start), at(TOMORROW, *end))
    assert caught.value.message == message
    assert not Booking.objects.exists()
    assert not WifiCredential.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_past_is_refused(room):
    with pytest.raises(errors.InThePast) as caught:
        book(room, at(date(2026, 5, 31), 10), at(date(2026, 5, 31), 12))
    assert caught.value.message == "ช่วงเวลานี้ผ่านไปแล้ว กรุณาเลือกเวลาตั้งแต่ตอนนี้เป็นต้นไป"
    assert not Booking.objects.exists()


def test_closed_days_and_shorter_hours_come_from_the_centers_exceptions(room):
    OpeningException.objects.create(day=TOMORROW, is_closed=True)
    OpeningException.objects.create(day=TOMORROW + timedelta(days=1), opens_at="10:00", closes_at="14:00")
    with pytest.raises(errors.CenterClosed):
        book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    with pytest.raises(errors.OutsideOpeningHours):
        book(room, at(TOMORROW + timedelta(days=1), 13), at(TOMORROW + timedelta(days=1), 15))
    assert not Booking.objects.exists()
    assert day_availability(space=room, day=TOMORROW, now=NOW).slots == []


def test_overlap_is_refused_back_to_back_is_fine_and_the_buffer_counts(db):
    room = SpaceFactory(buffer_minutes=30)
    book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    with pytest.raises(errors.SlotTaken) as caught:
        book(room, at(TOMORROW, 11), at(TOMORROW, 13))
    assert caught.value.message == "ขออภัย ช่วงเวลานี้มีผู้จองแล้ว กรุณาเลือกเวลาอื่น"
    assert caught.value.status == 409
    with pytest.raises(errors.SlotTaken):
        book(room, at(TOMORROW, 12), at(TOMORROW, 13))  # inside the 30-minute buffer
    book(room, at(TOMORROW, 12, 30), at(TOMORROW, 13, 30))
    book(room, at(TOMORROW, 8), at(TOMORROW, 9, 30))  # its buffer ends exactly at 10:00
    assert Booking.objects.count() == 3


def test_too_many_people_is_refused(room):
    with pytest.raises(errors.TooManyPeople):
        book(room, at(TOMORROW, 10), at(TOMORROW, 12), attendees=13)
    assert not Booking.objects.exists()


def test_staff_blocks_keep_the_time_free(room, manager):
    block_time(
        space=room, starts_at=at(TOMORROW, 8), ends_at=at(TOMORROW, 9), reason="ทำความสะอาด", actor=manager, now=NOW
    )
    with pytest.raises(errors.SlotTaken):
        book(room, at(TOMORROW, 8, 30), at(TOMORROW, 10))
    slots = day_availability(space=room, day=TOMORROW, now=NOW).slots
    assert [slot.is_free for slot in slots[:3]] == [False, False, True]


def test_customer_moves_and_cancels_until_the_deadline(room):
    booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    moved = move_booking(
        booking=booking, starts_at=at(TOMORROW, 14), ends_at=at(TOMORROW, 15), by_customer=True, now=NOW
    )
    assert (moved.starts_at, moved.ends_at, moved.amount_due, moved.sequence) == (
        at(TOMORROW, 14), at(TOMORROW, 15), Decimal("300.00"), 1,
    )  # fmt: skip
    book(room, at(TOMORROW, 10), at(TOMORROW, 12))  # the old time is free again
    late = NOW + timedelta(hours=14)  # 23:00, 15 hours before 14:00 < 24-hour deadline
    with pytest.raises(errors.ChangeDeadlinePassed):
        cancel_booking(booking=moved, by_customer=True, now=late)
    with pytest.raises(errors.ChangeDeadlinePassed):
        move_booking(booking=moved, starts_at=at(TOMORROW, 16), ends_at=at(TOMORROW, 17), by_customer=True, now=late)
    moved.refresh_from_db()
    assert moved.status == Booking.Status.CONFIRMED
    assert moved.starts_at == at(TOMORROW, 14)
    cancelled = cancel_booking(booking=moved, by_customer=False, now=late)  # staff can always
    assert cancelled.status == Booking.Status.CANCELLED
    assert OutboundMessage.objects.filter(event="workspace_booking_cancelled").count() == 1


def test_check_in_and_no_show(room, manager):
    first = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    second = book(room, at(TOMORROW, 13), at(TOMORROW, 14))
    on_the_day = at(TOMORROW, 10, 5)
    with pytest.raises(errors.InvalidBookingTransition):
        mark_no_show(booking=second, actor=manager, now=on_the_day)  # not started yet
    assert check_in_booking(booking=first, actor=manager, now=on_the_day).status == Booking.Status.CHECKED_IN
    assert mark_no_show(booking=second, actor=manager, now=at(TOMORROW, 13, 30)).status == Booking.Status.NO_SHOW
    with pytest.raises(errors.InvalidBookingTransition):
        cancel_booking(booking=first, actor=manager, by_customer=False)
    first.refresh_from_db()
    assert first.status == Booking.Status.CHECKED_IN


def test_only_staff_record_payments_and_never_more_than_is_due(room, make_user):
    booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    customer, cashier = make_user("customer"), make_user("cashier")
    with pytest.raises(errors.PaymentRefused):
        record_booking_payment(booking=booking, method="cash", amount=Decimal("600.00"), actor=customer, reference="")
    with pytest.raises(errors.PaymentRefused):
        record_booking_payment(booking=booking, method="cash", amount=Decimal("600.01"), actor=cashier, reference="")
    assert not Payment.objects.exists()
    booking.refresh_from_db()
    assert booking.payment_status == Booking.PaymentStatus.UNPAID
    record_booking_payment(booking=booking, method="cash", amount=Decimal("200.00"), actor=cashier, reference="R1")
    booking.refresh_from_db()
    assert booking.payment_status == Booking.PaymentStatus.UNPAID
    record_booking_payment(booking=booking, method="promptpay", amount=Decimal("400.00"), actor=cashier, reference="TX")
    booking.refresh_from_db()
    assert booking.payment_status == Booking.PaymentStatus.PAID
    assert [p.amount for p in booking.payments.all()] == [Decimal("200.00"), Decimal("400.00")]


def test_manager_rotates_the_wifi_per_day_and_per_booking(room, manager):
    booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    old = wifi_for_booking(booking).password
    rotate_wifi_password(space=room, day=TOMORROW, actor=manager, password="new-day-pass")
    assert wifi_for_booking(booking).password == "new-day-pass" != old
    rotate_wifi_password(space=room, booking=booking, actor=manager, password="only-this-one")
    assert wifi_for_booking(booking).password == "only-this-one"
    per_booking = SpaceFactory(wifi_rotation=Space.WifiRotation.PER_BOOKING)
    one = book(per_booking, at(TOMORROW, 10), at(TOMORROW, 12))
    two = book(per_booking, at(TOMORROW, 13), at(TOMORROW, 14))
    assert wifi_for_booking(one).password != wifi_for_booking(two).password


def test_reminders_go_out_the_day_before_once(room):
    booking = book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    assert send_due_reminders(now=at(TOMORROW - timedelta(days=1), 8)) == 0  # before 09:00 the day before
    assert send_due_reminders(now=at(TOMORROW - timedelta(days=1), 9, 30)) == 1
    assert send_due_reminders(now=at(TOMORROW - timedelta(days=1), 10)) == 0
    reminder = OutboundMessage.objects.get(event="workspace_booking_reminder")
    assert booking.reference in reminder.subject


def test_monthly_utilisation_is_booked_hours_over_open_hours(room, manager):
    SpaceFactory(is_active=False)
    june = date(2026, 6, 1)
    OpeningException.objects.create(day=date(2026, 6, 30), is_closed=True)
    book(room, at(TOMORROW, 10), at(TOMORROW, 12))
    book(room, at(date(2026, 6, 3), 8), at(date(2026, 6, 3), 14))
    block_time(space=room, starts_at=at(TOMORROW, 14), ends_at=at(TOMORROW, 16), reason="x", actor=manager, now=NOW)
    cancelled = book(room, at(date(2026, 6, 4), 8), at(date(2026, 6, 4), 10))
    cancel_booking(booking=cancelled, by_customer=False, now=NOW)
    figure = monthly_utilisation(year=june.year, month=june.month)
    assert figure.open_hours == Decimal("290.00")  # 29 open days × 10 hours, one space
    assert figure.booked_hours == Decimal("8.00")
    assert figure.ratio == Decimal("0.0276")
    assert figure.percent == Decimal("2.8")
    assert timezone.is_aware(at(june, 8))
