"""What can go wrong when booking a space; each error carries a message for people and a stable code."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError, NotAllowed


class BookingRefused(DomainError):
    """A booking request breaks a rule; nothing was booked or changed."""

    code = "booking_refused"


class InvalidContact(BookingRefused):
    code = "invalid_contact"


class CenterClosed(BookingRefused):
    code = "closed"


class OutsideOpeningHours(BookingRefused):
    code = "outside_hours"


class InThePast(BookingRefused):
    code = "in_the_past"


class OffTheSlotGrid(BookingRefused):
    code = "off_grid"


class TooShort(BookingRefused):
    code = "too_short"


class TooLong(BookingRefused):
    code = "too_long"


class TooManyPeople(BookingRefused):
    code = "too_many_people"


class SpaceNotBookable(BookingRefused):
    code = "not_bookable"


class SlotTaken(Conflict):
    """Another booking (or its buffer, or a staff block) already holds part of the time."""

    code = "slot_taken"


class ChangeDeadlinePassed(NotAllowed):
    code = "deadline_passed"


class InvalidBookingTransition(Conflict):
    code = "invalid_transition"


class PaymentRefused(DomainError):
    code = "payment_refused"
