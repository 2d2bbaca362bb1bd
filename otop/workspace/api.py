"""The co-working API: spaces, free slots of a day, booking and cancelling.

Booking is open to anyone, as on the public page (at the list price, no account); the private
token returned with a booking is what cancels it. Errors use the API's one format, with codes
outside_hours, closed, in_the_past, off_grid, too_short, too_long, too_many_people and
slot_taken (409).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from otop.core.apitypes import NOT_BLANK, BangkokDatetime, Email, LocalTime, Phone, Text, errors
from otop.core.i18n import current_language, localized
from otop.core.throttle import ApiThrottle
from otop.workspace.models import Booking
from otop.workspace.selectors import (
    amount_outstanding,
    bookable_spaces,
    booking_for_token,
    booking_promptpay_qr,
    day_availability,
)
from otop.workspace.services import cancel_booking, create_booking

router = Router(tags=["workspace"])

BookingToken = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class SpaceOut(Schema):
    slug: str
    kind: str
    name: str
    capacity: int
    equipment: list[str]
    price_per_hour: Decimal
    slot_minutes: int
    minimum_minutes: int
    maximum_minutes: int
    buffer_minutes: int


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    is_free: bool


class RangeOut(Schema):
    starts_at: datetime
    ends_at: datetime


class DaySlotsOut(Schema):
    space: str
    day: date
    is_open: bool
    opens_at: LocalTime | None
    closes_at: LocalTime | None
    slot_minutes: int
    slots: list[SlotOut]
    free: list[RangeOut]


class BookingIn(Schema):
    space: Text(40, min_length=1) = Field(description="The space's slug, e.g. meeting-room")
    starts_at: BangkokDatetime = Field(description="ISO 8601; without an offset it is read as Bangkok time")
    ends_at: BangkokDatetime
    name: Text(150, min_length=1, pattern=NOT_BLANK)
    phone: Phone
    email: Email = ""
    purpose: Text(300, min_length=1, pattern=NOT_BLANK)
    attendees: Annotated[int, Field(ge=1, le=1000)] = 1


class BookingOut(Schema):
    reference: str
    token: str
    space: str
    status: str
    starts_at: datetime
    ends_at: datetime
    amount_due: Decimal
    amount_outstanding: Decimal
    payment_status: str
    promptpay_payload: str
    page_url: str
    ics_url: str


class BookingStatusOut(Schema):
    reference: str
    space: str
    status: str
    starts_at: datetime
    ends_at: datetime
    amount_due: Decimal
    payment_status: str


def _space_out(space) -> SpaceOut:
    return SpaceOut(
        slug=space.slug,
        kind=space.kind,
        name=localized(space, "name"),
        capacity=space.capacity,
        equipment=[localized(item, "name") for item in space.equipment.all()],
        price_per_hour=space.price_per_hour,
        slot_minutes=space.slot_minutes,
        minimum_minutes=space.minimum_minutes,
        maximum_minutes=space.maximum_minutes,
        buffer_minutes=space.buffer_minutes,
    )


def _booking_out(request: HttpRequest, booking: Booking) -> BookingOut:
    outstanding = amount_outstanding(booking)
    qr = booking_promptpay_qr(booking)
    return BookingOut(
        reference=booking.reference,
        token=booking.token,
        space=booking.space.slug,
        status=booking.status,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        amount_due=booking.amount_due,
        amount_outstanding=outstanding,
        payment_status=booking.payment_status,
        promptpay_payload=qr.payload if qr is not None else "",
        page_url=request.build_absolute_uri(reverse("workspace:booking", kwargs={"token": booking.token})),
        ics_url=request.build_absolute_uri(reverse("workspace:booking-ics", kwargs={"token": booking.token})),
    )


@router.get("/workspace/spaces", response=list[SpaceOut], auth=None, summary="Spaces that can be booked")
def list_spaces(request: HttpRequest) -> list[SpaceOut]:
    return [_space_out(space) for space in bookable_spaces()]


@router.get(
    "/workspace/spaces/{slug}/slots",
    response={200: DaySlotsOut, **errors(404)},
    auth=None,
    summary="Free and taken slots of a day",
)
def day_slots(request: HttpRequest, slug: Text(40), day: date) -> DaySlotsOut:
    space = get_object_or_404(bookable_spaces(), slug=slug)
    if not 2000 <= day.year <= 2999:
        # Far-off days overflow on the way to UTC; nothing can be booked on them.
        return DaySlotsOut(space=space.slug, day=day, is_open=False, opens_at=None, closes_at=None,
                           slot_minutes=space.slot_minutes, slots=[], free=[])  # fmt: skip
    availability = day_availability(space=space, day=day)
    free: list[RangeOut] = []
    for slot in availability.slots:
        if not slot.is_bookable:
            continue
        if free and free[-1].ends_at == slot.starts_at:
            free[-1] = RangeOut(starts_at=free[-1].starts_at, ends_at=slot.ends_at)
        else:
            free.append(RangeOut(starts_at=slot.starts_at, ends_at=slot.ends_at))
    return DaySlotsOut(
        space=space.slug,
        day=day,
        is_open=availability.is_open,
        opens_at=availability.hours.opens_at if availability.hours else None,
        closes_at=availability.hours.closes_at if availability.hours else None,
        slot_minutes=space.slot_minutes,
        slots=[SlotOut(starts_at=s.starts_at, ends_at=s.ends_at, is_free=s.is_bookable) for s in availability.slots],
        free=free,
    )


@router.post(
    "/workspace/bookings",
    response={201: BookingOut, **errors(404, 409)},
    auth=None,
    throttle=[ApiThrottle("workspace.book", anonymous_rate="10/m")],
    summary="Book a space",
)
def book_space(request: HttpRequest, payload: BookingIn) -> Status:
    space = get_object_or_404(bookable_spaces(), slug=payload.space)
    booking = create_booking(
        space=space,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        purpose=payload.purpose,
        attendees=payload.attendees,
        language=current_language(),
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return Status(201, _booking_out(request, booking))


def _by_token(token: str) -> Booking:
    booking = booking_for_token(token)
    if booking is None:
        raise Http404
    return booking


@router.get(
    "/workspace/bookings/{token}",
    response={200: BookingStatusOut, **errors(404)},
    auth=None,
    summary="A booking, by its token",
)
def get_booking(request: HttpRequest, token: BookingToken) -> BookingStatusOut:
    booking = _by_token(token)
    return BookingStatusOut(
        reference=booking.reference,
        space=booking.space.slug,
        status=booking.status,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        amount_due=booking.amount_due,
        payment_status=booking.payment_status,
    )


@router.post(
    "/workspace/bookings/{token}/cancel",
    response={200: BookingStatusOut, **errors(404, 409)},
    auth=None,
    summary="Cancel a booking with its private token (until the change deadline)",
)
def cancel(request: HttpRequest, token: BookingToken) -> BookingStatusOut:
    booking = cancel_booking(booking=_by_token(token), by_customer=True)
    return get_booking(request, booking.token)
