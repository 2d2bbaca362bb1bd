"""Reads about spaces and bookings: free slots, calendars, WiFi for a booking, utilisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from otop.core.collation import ThaiSortKey
from otop.core.errors import DomainError
from otop.core.models import OpeningException
from otop.core.selectors import OpeningHours, center_profile, opening_hours_on
from otop.payments import services as payment_services
from otop.payments.models import Payment
from otop.payments.services import PromptPayQr
from otop.workspace.models import ACTIVE_STATUSES, Booking, Space, WifiCredential


def at_local(day: date, moment: time) -> datetime:
    """Return an aware datetime for a wall-clock time on a Bangkok business day."""
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    return at_local(day, time(0, 0)), at_local(day + timedelta(days=1), time(0, 0))


def bookable_spaces() -> QuerySet[Space]:
    return (
        Space.objects.filter(is_active=True)
        .prefetch_related("equipment", "photos")
        .order_by("position", ThaiSortKey("name_th"), "name_th")
    )


def active_bookings_between(*, space: Space, starts_at: datetime, ends_at: datetime) -> QuerySet[Booking]:
    """Bookings and blocks (with their buffers) that hold any part of [starts_at, ends_at)."""
    return Booking.objects.filter(
        space=space, status__in=ACTIVE_STATUSES, starts_at__lt=ends_at, occupied_until__gt=starts_at
    ).order_by("starts_at")


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    is_free: bool
    is_past: bool

    @property
    def is_bookable(self) -> bool:
        return self.is_free and not self.is_past


@dataclass(frozen=True)
class DayAvailability:
    day: date
    hours: OpeningHours | None
    slots: list[Slot]

    @property
    def is_open(self) -> bool:
        return self.hours is not None

    @property
    def free_count(self) -> int:
        return sum(1 for slot in self.slots if slot.is_bookable)


def day_availability(*, space: Space, day: date, now: datetime | None = None) -> DayAvailability:
    """Return the slot grid of a day within opening hours, each slot free or taken (buffers count)."""
    now = now or timezone.now()
    hours = opening_hours_on(day)
    if hours is None:
        return DayAvailability(day=day, hours=None, slots=[])
    opens, closes = at_local(day, hours.opens_at), at_local(day, hours.closes_at)
    taken = list(
        active_bookings_between(space=space, starts_at=opens, ends_at=closes).values_list("starts_at", "occupied_until")
    )
    step = timedelta(minutes=space.slot_minutes)
    slots = []
    start = first_grid_point(opens, space.slot_minutes)
    while start + step <= closes:
        end = start + step
        is_free = not any(held_from < end and held_until > start for held_from, held_until in taken)
        slots.append(Slot(starts_at=start, ends_at=end, is_free=is_free, is_past=start < now))
        start = end
    return DayAvailability(day=day, hours=hours, slots=slots)


def week_availability(*, space: Space, first_day: date, now: datetime | None = None) -> list[DayAvailability]:
    return [day_availability(space=space, day=first_day + timedelta(days=n), now=now) for n in range(7)]


def first_grid_point(moment: datetime, slot_minutes: int) -> datetime:
    """The first grid time at or after a moment (the grid counts from local midnight)."""
    local = timezone.localtime(moment)
    minutes = local.hour * 60 + local.minute
    offset = (-minutes) % slot_minutes
    if local.second or local.microsecond:
        offset = offset or slot_minutes
    return (local + timedelta(minutes=offset)).replace(second=0, microsecond=0)


def is_on_grid(moment: datetime, slot_minutes: int) -> bool:
    local = timezone.localtime(moment)
    return local.second == 0 and local.microsecond == 0 and (local.hour * 60 + local.minute) % slot_minutes == 0


def booking_for_token(token: str) -> Booking | None:
    if not token or len(token) < 20:
        return None
    return Booking.objects.select_related("space").filter(token=token, kind=Booking.Kind.BOOKING).first()


def bookings_for_calendar(*, starts_on: date, days: int, space: Space | None = None) -> QuerySet[Booking]:
    """Every booking and block (cancelled ones too) starting in [starts_on, starts_on + days)."""
    start, _ = local_day_bounds(starts_on)
    end, _ = local_day_bounds(starts_on + timedelta(days=days))
    bookings = Booking.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related("space", "user")
    if space is not None:
        bookings = bookings.filter(space=space)
    return bookings.order_by("starts_at", "space__position")


@dataclass(frozen=True)
class DayBookings:
    """A day's bookings of the spaces (blocks and cancelled bookings left out)."""

    total: int
    checked_in: int
    unpaid: int


def bookings_on(day: date) -> DayBookings:
    """How many bookings start on a Bangkok business day, checked in and still to be paid among them (one query)."""
    start, end = local_day_bounds(day)
    counts = (
        Booking.objects.filter(kind=Booking.Kind.BOOKING, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Booking.Status.CANCELLED)
        .aggregate(
            total=Count("pk"),
            checked_in=Count("pk", filter=Q(status=Booking.Status.CHECKED_IN)),
            unpaid=Count("pk", filter=Q(payment_status=Booking.PaymentStatus.UNPAID)),
        )
    )
    return DayBookings(total=counts["total"], checked_in=counts["checked_in"], unpaid=counts["unpaid"])


def wifi_for_booking(booking: Booking) -> WifiCredential | None:
    """The WiFi given to a booking: its own password if it has one, else its space's password of the day."""
    own = WifiCredential.objects.filter(booking=booking).first()
    if own is not None:
        return own
    day = timezone.localtime(booking.starts_at).date()
    return WifiCredential.objects.filter(space_id=booking.space_id, day=day, booking__isnull=True).first()


def wifi_for_guest(booking: Booking) -> WifiCredential | None:
    """The WiFi a guest may see on their booking page and calendar entry: only for a live booking that is
    paid (or free of charge); staff see it on their own pages to hand it over at the desk."""
    if not booking.is_active or booking.payment_status == Booking.PaymentStatus.UNPAID:
        return None
    return wifi_for_booking(booking)


def paid_total(booking: Booking) -> Decimal:
    return sum(
        (payment.amount for payment in booking.payments.all() if payment.status == Payment.Status.CONFIRMED),
        Decimal("0.00"),
    )


def booking_promptpay_qr(booking: Booking) -> PromptPayQr | None:
    """The PromptPay QR for what is still due, or None when nothing is due or PromptPay is not set up."""
    outstanding = amount_outstanding(booking)
    if outstanding <= 0:
        return None
    try:
        return payment_services.promptpay_qr(outstanding)
    except DomainError:  # no PromptPay ID yet: the booking is paid at the counter
        return None


def amount_outstanding(booking: Booking) -> Decimal:
    if booking.kind != Booking.Kind.BOOKING or booking.status == Booking.Status.CANCELLED:
        return Decimal("0.00")
    return max(booking.amount_due - paid_total(booking), Decimal("0.00"))


def can_customer_change(booking: Booking, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return booking.status == Booking.Status.CONFIRMED and now <= booking.starts_at - timedelta(
        hours=booking.space.change_deadline_hours
    )


def change_deadline(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(hours=booking.space.change_deadline_hours)


@dataclass(frozen=True)
class Utilisation:
    year: int
    month: int
    booked_hours: Decimal
    open_hours: Decimal

    @property
    def ratio(self) -> Decimal:
        """Booked hours ÷ open hours, 0 when the spaces were never open."""
        if not self.open_hours:
            return Decimal("0")
        return (self.booked_hours / self.open_hours).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> Decimal:
        return (self.ratio * 100).quantize(Decimal("0.1"))


def _hours(delta: timedelta) -> Decimal:
    return Decimal(int(delta.total_seconds())) / Decimal(3600)


def monthly_utilisation(*, year: int, month: int, space: Space | None = None) -> Utilisation:
    """Booked hours ÷ open hours in a month, for one space or all active spaces (for the Reports).

    Booked hours are customer bookings (confirmed, checked in or no-show) within opening hours;
    staff blocks and buffers are not counted as use.
    """
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    spaces = [space] if space is not None else list(Space.objects.filter(is_active=True))
    profile = center_profile()
    exceptions = {row.day: row for row in OpeningException.objects.filter(day__gte=first, day__lt=following)}
    open_ranges: dict[date, tuple[datetime, datetime]] = {}
    day = first
    while day < following:
        row = exceptions.get(day)
        if row is None:
            open_ranges[day] = (at_local(day, profile.opens_at), at_local(day, profile.closes_at))
        elif not row.is_closed:
            open_ranges[day] = (at_local(day, row.opens_at), at_local(day, row.closes_at))
        day += timedelta(days=1)
    open_per_space = sum((_hours(end - start) for start, end in open_ranges.values()), Decimal("0"))
    start_of_month, _ = local_day_bounds(first)
    end_of_month, _ = local_day_bounds(following)
    booked = Decimal("0")
    bookings = Booking.objects.filter(
        space__in=spaces,
        kind=Booking.Kind.BOOKING,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=end_of_month,
        ends_at__gt=start_of_month,
    ).values_list("starts_at", "ends_at")
    for starts_at, ends_at in bookings:
        local_day = timezone.localtime(starts_at).date()
        if local_day not in open_ranges:
            continue
        opens, closes = open_ranges[local_day]
        overlap = min(ends_at, closes) - max(starts_at, opens)
        if overlap > timedelta(0):
            booked += _hours(overlap)
    return Utilisation(
        year=year,
        month=month,
        booked_hours=booked.quantize(Decimal("0.01")),
        open_hours=(open_per_space * len(spaces)).quantize(Decimal("0.01")),
    )
