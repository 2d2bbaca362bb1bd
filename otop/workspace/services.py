"""Writes about bookings: book, block, move, cancel, check in, no-show, pay, WiFi, reminders.

No double booking: every write that takes time runs in one transaction that first takes the
space's lock (SELECT … FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds
the database's write lock), checks for clashes under it, then writes. On PostgreSQL an exclusion
constraint on (space, [starts_at, occupied_until)) is the second line of defence.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts import roles
from otop.accounts.models import User
from otop.core.money import to_satang
from otop.core.selectors import opening_hours_on
from otop.core.services import record_audit_event
from otop.core.validators import normalize_thai_phone, thai_phone_is_valid
from otop.notifications.services import notify_by_email
from otop.payments import services as payment_services
from otop.payments.models import Payment
from otop.workspace.errors import (
    CenterClosed,
    ChangeDeadlinePassed,
    InThePast,
    InvalidBookingTransition,
    InvalidContact,
    OffTheSlotGrid,
    OutsideOpeningHours,
    PaymentRefused,
    SlotTaken,
    SpaceNotBookable,
    TooLong,
    TooManyPeople,
    TooShort,
)
from otop.workspace.models import ACTIVE_STATUSES, Booking, BookingEvent, Space, WifiCredential
from otop.workspace.selectors import (
    active_bookings_between,
    amount_outstanding,
    at_local,
    can_customer_change,
    is_on_grid,
    paid_total,
)

EXCLUSION_CONSTRAINT = "booking_no_overlap_on_space"
# Roles that book at the member price (0 by default): OTOP producers and the center's people.
MEMBER_ROLES = {roles.PRODUCER, roles.STAFF, roles.MANAGER, roles.CASHIER}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
REMINDER_HOUR = 9

# Allowed status changes; everything else is refused with InvalidBookingTransition.
TRANSITIONS = {
    Booking.Status.CONFIRMED: {Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW, Booking.Status.CANCELLED},
    Booking.Status.CHECKED_IN: set(),
    Booking.Status.NO_SHOW: {Booking.Status.CHECKED_IN},
    Booking.Status.CANCELLED: set(),
}


def default_site_url() -> str:
    return settings.SITE_URL


# --- rules ----------------------------------------------------------------------------------


def _hm(moment: Any) -> str:
    return moment.strftime("%H:%M")


def check_booking_times(
    *, space: Space, starts_at: datetime, ends_at: datetime, now: datetime, is_block: bool = False
) -> None:
    """Raise the first rule a requested time breaks (no database lock needed; overlap is checked later)."""
    if not space.is_active:
        raise SpaceNotBookable(_("This space cannot be booked at the moment."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("booking times must be aware datetimes")
    if ends_at <= starts_at:
        raise TooShort(
            _("The end must be after the start."), fields={"ends_at": [_("The end must be after the start.")]}
        )
    if starts_at < now:
        raise InThePast(_("This time has already passed. Choose a time from now on."))
    if not (is_on_grid(starts_at, space.slot_minutes) and is_on_grid(ends_at, space.slot_minutes)):
        raise OffTheSlotGrid(
            _("Bookings start and end on a %(minutes)s-minute grid (e.g. 10:00, 10:30).")
            % {"minutes": space.slot_minutes}
        )
    day = timezone.localtime(starts_at).date()
    hours = opening_hours_on(day)
    if hours is None:
        raise CenterClosed(_("The center is closed on this day."))
    opens, closes = at_local(day, hours.opens_at), at_local(day, hours.closes_at)
    if starts_at < opens or ends_at > closes:
        raise OutsideOpeningHours(
            _("Bookings must be within opening hours, %(opens)s–%(closes)s on this day.")
            % {"opens": _hm(hours.opens_at), "closes": _hm(hours.closes_at)}
        )
    if is_block:
        return
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    if minutes < space.minimum_minutes:
        raise TooShort(_("The shortest booking is %(minutes)s minutes.") % {"minutes": space.minimum_minutes})
    if minutes > space.maximum_minutes:
        raise TooLong(_("The longest booking is %(minutes)s minutes.") % {"minutes": space.maximum_minutes})


def _check_attendees(space: Space, attendees: int) -> None:
    if attendees < 1 or attendees > space.capacity:
        raise TooManyPeople(
            _("This space seats at most %(capacity)s people.") % {"capacity": space.capacity},
            fields={"attendees": [_("At most %(capacity)s.") % {"capacity": space.capacity}]},
        )


def _check_contact(*, name: str, phone: str, email: str) -> tuple[str, str, str]:
    """Return the booker's name, phone (normalised) and e-mail, or refuse the booking naming the bad field."""
    fields: dict[str, list[str]] = {}
    if not name.strip():
        fields["name"] = [_("Please give your name.")]
    if not thai_phone_is_valid(phone):
        fields["phone"] = [_("Enter a Thai phone number, e.g. 081 234 5678 or 043 123 456.")]
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fields["email"] = [_("Enter a valid e-mail address.")]
    if fields:
        raise InvalidContact(_("Some details of the booking are missing or not valid."), fields=fields)
    return name.strip()[:150], normalize_thai_phone(phone), email


def _lock_space_and_check_free(
    *, space: Space, starts_at: datetime, occupied_until: datetime, ignore: Booking | None = None
) -> None:
    """Lock the space and refuse when any active booking or block holds part of the time.

    Caller must be inside transaction.atomic(). On SQLite the select_for_update is a no-op, but
    the IMMEDIATE transaction already holds the write lock, so the check and the write are atomic.
    """
    list(Space.objects.select_for_update().filter(pk=space.pk))
    clashes = active_bookings_between(space=space, starts_at=starts_at, ends_at=occupied_until)
    if ignore is not None:
        clashes = clashes.exclude(pk=ignore.pk)
    if clashes.exists():
        raise SlotTaken(_("Sorry, this time is already booked. Please choose another time."))


def _is_overlap_violation(error: IntegrityError) -> bool:
    return EXCLUSION_CONSTRAINT in str(error)


@contextmanager
def _holding_time(
    *, space: Space, starts_at: datetime, occupied_until: datetime, ignore: Booking | None = None
) -> Iterator[None]:
    """Run the body in one transaction that holds [starts_at, occupied_until) of the space.

    The locked check refuses a clash first; PostgreSQL's exclusion constraint, the second guard,
    is turned into the same SlotTaken error.
    """
    try:
        with transaction.atomic():
            _lock_space_and_check_free(space=space, starts_at=starts_at, occupied_until=occupied_until, ignore=ignore)
            yield
    except IntegrityError as error:
        if _is_overlap_violation(error):
            raise SlotTaken(_("Sorry, this time is already booked. Please choose another time.")) from None
        raise


def price_per_hour_for(*, space: Space, user: User | None) -> Decimal:
    """Members (producers and the center's people) pay the member price; everyone else the list price."""
    if user is not None:
        if set(user.groups.values_list("name", flat=True)) & MEMBER_ROLES:
            return space.member_price_per_hour
    return space.price_per_hour


def amount_for(*, price_per_hour: Decimal, starts_at: datetime, ends_at: datetime) -> Decimal:
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    return to_satang(price_per_hour * minutes / 60)


def _new_reference() -> str:
    return "WS" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _record(booking: Booking, action: str, actor: User | None, **data: Any) -> None:
    BookingEvent.objects.create(booking=booking, action=action, actor=actor, data=data)


# --- booking --------------------------------------------------------------------------------


def create_booking(
    *,
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    name: str,
    phone: str,
    email: str = "",
    purpose: str = "",
    attendees: int = 1,
    user: User | None = None,
    booked_by: User | None = None,
    language: str = "th",
    site_url: str = "",
    now: datetime | None = None,
) -> Booking:
    """Check the rules, then hold the time for a person; confirm by e-mail and schedule the reminder.

    Raises a BookingRefused subclass or SlotTaken; on any refusal nothing is written.
    """
    now = now or timezone.now()
    name, phone, email = _check_contact(name=name, phone=phone, email=email)
    check_booking_times(space=space, starts_at=starts_at, ends_at=ends_at, now=now)
    _check_attendees(space, attendees)
    price = price_per_hour_for(space=space, user=user)
    amount = amount_for(price_per_hour=price, starts_at=starts_at, ends_at=ends_at)
    occupied_until = ends_at + timedelta(minutes=space.buffer_minutes)
    with _holding_time(space=space, starts_at=starts_at, occupied_until=occupied_until):
        booking = Booking.objects.create(
            space=space,
            kind=Booking.Kind.BOOKING,
            reference=_new_reference(),
            token=secrets.token_urlsafe(32),
            starts_at=starts_at,
            ends_at=ends_at,
            occupied_until=occupied_until,
            name=name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            purpose=purpose.strip(),
            attendees=attendees,
            language=language if language in ("th", "en") else "th",
            user=user,
            booked_by=booked_by,
            price_per_hour=price,
            amount_due=amount,
            payment_status=Booking.PaymentStatus.FREE if amount == 0 else Booking.PaymentStatus.UNPAID,
            site_url=(site_url or default_site_url()).rstrip("/"),
        )
        _record(booking, "created", booked_by or user, starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
        _ensure_wifi_credential(booking)
        _notify(booking, "workspace_booking_confirmed")
        transaction.on_commit(partial(schedule_reminder, booking_id=booking.pk))
    return booking


def block_time(*, space: Space, starts_at: datetime, ends_at: datetime, reason: str, actor: User | None,
               now: datetime | None = None) -> Booking:  # fmt: skip
    """Keep a time free of bookings (maintenance, the center's own meetings); refused if already booked."""
    now = now or timezone.now()
    check_booking_times(space=space, starts_at=starts_at, ends_at=ends_at, now=now, is_block=True)
    with _holding_time(space=space, starts_at=starts_at, occupied_until=ends_at):
        booking = Booking.objects.create(
            space=space,
            kind=Booking.Kind.BLOCK,
            reference=_new_reference(),
            token=secrets.token_urlsafe(32),
            starts_at=starts_at,
            ends_at=ends_at,
            occupied_until=ends_at,
            purpose=reason.strip(),
            booked_by=actor,
            price_per_hour=Decimal("0.00"),
            amount_due=Decimal("0.00"),
            payment_status=Booking.PaymentStatus.FREE,
        )
        _record(booking, "blocked", actor, reason=reason)
    return booking


def _lock_booking(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("space").get(pk=booking.pk)


def _check_customer_may_change(booking: Booking, now: datetime) -> None:
    if booking.status != Booking.Status.CONFIRMED:
        raise InvalidBookingTransition(_("This booking can no longer be changed."))
    if not can_customer_change(booking, now=now):
        raise ChangeDeadlinePassed(
            _("Bookings can be changed online until %(hours)s hours before the start. Please call the center.")
            % {"hours": booking.space.change_deadline_hours}
        )


@transaction.atomic
def cancel_booking(
    *, booking: Booking, actor: User | None = None, by_customer: bool, now: datetime | None = None
) -> Booking:
    """Cancel a booking or a block and free its time; customers only until the change deadline."""
    now = now or timezone.now()
    booking = _lock_booking(booking)
    if by_customer:
        _check_customer_may_change(booking, now)
    elif Booking.Status.CANCELLED not in TRANSITIONS[booking.status]:
        raise InvalidBookingTransition(_("This booking can no longer be cancelled."))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    _record(booking, "cancelled", actor, by_customer=by_customer)
    if booking.kind == Booking.Kind.BOOKING:
        _notify(booking, "workspace_booking_cancelled")
    return booking


def move_booking(
    *, booking: Booking, starts_at: datetime, ends_at: datetime, actor: User | None = None, by_customer: bool,
    now: datetime | None = None,
) -> Booking:  # fmt: skip
    """Move a booking to another time of the same space, checking every rule as for a new booking."""
    now = now or timezone.now()
    space = booking.space
    if by_customer:
        _check_customer_may_change(booking, now)
    elif booking.status != Booking.Status.CONFIRMED:
        raise InvalidBookingTransition(_("This booking can no longer be changed."))
    check_booking_times(
        space=space, starts_at=starts_at, ends_at=ends_at, now=now, is_block=booking.kind == Booking.Kind.BLOCK
    )
    buffer = timedelta(minutes=space.buffer_minutes) if booking.kind == Booking.Kind.BOOKING else timedelta(0)
    with _holding_time(space=space, starts_at=starts_at, occupied_until=ends_at + buffer, ignore=booking):
        booking = _lock_booking(booking)
        if by_customer:
            _check_customer_may_change(booking, now)
        before = (booking.starts_at.isoformat(), booking.ends_at.isoformat())
        booking.starts_at, booking.ends_at, booking.occupied_until = starts_at, ends_at, ends_at + buffer
        booking.amount_due = amount_for(price_per_hour=booking.price_per_hour, starts_at=starts_at, ends_at=ends_at)
        booking.payment_status = _payment_status(booking)
        booking.sequence += 1
        booking.reminder_sent_at = None
        booking.save(
            update_fields=[
                "starts_at", "ends_at", "occupied_until", "amount_due", "payment_status", "sequence",
                "reminder_sent_at", "updated_at",
            ]
        )  # fmt: skip
        _record(booking, "moved", actor, before=before, after=(starts_at.isoformat(), ends_at.isoformat()))
        if booking.kind == Booking.Kind.BOOKING:
            _ensure_wifi_credential(booking)
            _notify(booking, "workspace_booking_moved")
            transaction.on_commit(partial(schedule_reminder, booking_id=booking.pk))
    return booking


def _change_status(*, booking: Booking, to: str, actor: User | None, action: str, now: datetime) -> Booking:
    booking = _lock_booking(booking)
    if booking.kind != Booking.Kind.BOOKING or to not in TRANSITIONS[booking.status]:
        raise InvalidBookingTransition(
            _("A booking that is “%(status)s” cannot be changed this way.") % {"status": booking.get_status_display()}
        )
    booking.status = to
    fields = ["status", "updated_at"]
    if to == Booking.Status.CHECKED_IN:
        booking.checked_in_at = now
        fields.append("checked_in_at")
    booking.save(update_fields=fields)
    _record(booking, action, actor)
    return booking


@transaction.atomic
def check_in_booking(*, booking: Booking, actor: User | None, now: datetime | None = None) -> Booking:
    """Record that the guest arrived (on the day of the booking)."""
    now = now or timezone.now()
    if timezone.localtime(booking.starts_at).date() != timezone.localtime(now).date():
        raise InvalidBookingTransition(_("Guests can be checked in only on the day of their booking."))
    return _change_status(booking=booking, to=Booking.Status.CHECKED_IN, actor=actor, action="checked_in", now=now)


@transaction.atomic
def mark_no_show(*, booking: Booking, actor: User | None, now: datetime | None = None) -> Booking:
    """Record that nobody came; possible only once the booking has started."""
    now = now or timezone.now()
    if now < booking.starts_at:
        raise InvalidBookingTransition(_("A no-show can be recorded only after the booking has started."))
    return _change_status(booking=booking, to=Booking.Status.NO_SHOW, actor=actor, action="no_show", now=now)


# --- payment --------------------------------------------------------------------------------


def _payment_status(booking: Booking) -> str:
    if booking.amount_due == 0:
        return Booking.PaymentStatus.FREE
    return Booking.PaymentStatus.PAID if paid_total(booking) >= booking.amount_due else Booking.PaymentStatus.UNPAID


STAFF_PAYMENT_PERMISSIONS = ("workspace.record_booking_payment",)


@transaction.atomic
def record_booking_payment(
    *, booking: Booking, method: str, amount: Decimal, actor: User | None, reference: str = ""
) -> Payment:
    """Record money a member of staff took for a booking (PromptPay seen, cash, card at the counter).

    Only a person with workspace.record_booking_payment may record it; the amount may not exceed
    what is still due. The POS calls this when a booking is paid at the till.
    """
    if actor is None or not actor.has_perm("workspace.record_booking_payment"):
        raise PaymentRefused(_("Only the center's staff can record a payment."))
    if method not in Payment.Method.values:
        raise PaymentRefused(_("Unknown payment method."))
    booking = _lock_booking(booking)
    if booking.kind != Booking.Kind.BOOKING or booking.status == Booking.Status.CANCELLED:
        raise PaymentRefused(_("This booking takes no payment."))
    amount = Decimal(amount)
    if amount <= 0 or amount != to_satang(amount):
        raise PaymentRefused(_("The amount must be more than zero, in baht and satang."))
    outstanding = amount_outstanding(booking)
    if amount > outstanding:
        raise PaymentRefused(
            _("Only %(outstanding)s is still due for this booking.") % {"outstanding": f"฿{outstanding:,.2f}"}
        )
    (payment,) = payment_services.record_received_payments(
        paid_for=booking,
        received=[payment_services.ReceivedMoney(method=method, amount=amount, provider_transaction_id=reference)],
        actor=actor,
    )
    booking.payment_status = _payment_status(booking)
    booking.save(update_fields=["payment_status", "updated_at"])
    _record(booking, "paid", actor, method=method, amount=str(amount), reference=reference)
    return payment


# --- WiFi -----------------------------------------------------------------------------------


def new_wifi_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))


def _network_name(space: Space) -> str:
    return space.wifi_network_name or "OTOP-Guest"


def _ensure_wifi_credential(booking: Booking) -> None:
    """Give a booking its WiFi: its own password, or its space's password of the day (created once)."""
    space = booking.space
    if space.wifi_rotation == Space.WifiRotation.PER_BOOKING:
        WifiCredential.objects.get_or_create(
            booking=booking,
            defaults={"space": space, "network_name": _network_name(space), "password": new_wifi_password()},
        )
        return
    day = timezone.localtime(booking.starts_at).date()
    if not WifiCredential.objects.filter(space=space, day=day, booking__isnull=True).exists():
        WifiCredential.objects.create(
            space=space, day=day, network_name=_network_name(space), password=new_wifi_password()
        )


@transaction.atomic
def rotate_wifi_password(
    *, space: Space, actor: User | None, day: Any = None, booking: Booking | None = None, password: str = ""
) -> WifiCredential:
    """Set a new WiFi password for a day of a space or for one booking (random unless given)."""
    if (day is None) == (booking is None):
        raise ValueError("give a day or a booking")
    password = password.strip() or new_wifi_password()
    if booking is not None:
        credential, _created = WifiCredential.objects.update_or_create(
            booking=booking, defaults={"space": space, "network_name": _network_name(space), "password": password}
        )
    else:
        credential, _created = WifiCredential.objects.update_or_create(
            space=space, day=day, booking=None, defaults={"network_name": _network_name(space), "password": password}
        )
    WifiCredential.objects.filter(pk=credential.pk).update(created_by=actor)

    record_audit_event(
        actor=actor,
        action="workspace.wifi_rotated",
        target=space,
        data={"day": str(day or ""), "booking": getattr(booking, "reference", "")},
    )
    return credential


# --- messages and reminders -----------------------------------------------------------------


def booking_link(booking: Booking) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(booking.language):
        path = reverse("workspace:booking", kwargs={"token": booking.token})
    return f"{booking.site_url or default_site_url()}{path}"


def _notify(booking: Booking, event: str) -> None:
    from otop.workspace.selectors import wifi_for_guest

    if not booking.email:
        return
    notify_by_email(
        event=event,
        email=booking.email,
        language=booking.language,
        context={
            "booking": booking,
            "space": booking.space,
            "link": booking_link(booking),
            # As on the booking page: the password only once the booking is paid (or free).
            "wifi": wifi_for_guest(booking),
        },
    )


def reminder_due_at(booking: Booking) -> datetime:
    """The day before the booking, at 09:00 Bangkok time."""
    day_before = timezone.localtime(booking.starts_at).date() - timedelta(days=1)
    return at_local(day_before, datetime.min.time().replace(hour=REMINDER_HOUR))


def schedule_reminder(*, booking_id: int) -> None:
    """Queue the reminder to run the day before; backends that cannot defer leave it to the sweep command."""
    from django_tasks import default_task_backend

    from otop.workspace.tasks import send_booking_reminder_task

    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or not booking.email:
        return
    due = reminder_due_at(booking)
    if due <= timezone.now() or not default_task_backend.supports_defer:
        return
    send_booking_reminder_task.using(run_after=due).enqueue(booking_id=booking_id)


def send_booking_reminder(*, booking_id: int, now: datetime | None = None) -> bool:
    """Send the day-before reminder once, if the booking still stands and its reminder is due now."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("space").filter(pk=booking_id).first()
    if booking is None or booking.status != Booking.Status.CONFIRMED or not booking.email:
        return False
    if not (reminder_due_at(booking) <= now < booking.starts_at):
        return False  # moved since the reminder was queued: the new time has its own
    with transaction.atomic():
        claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        if not claimed:
            return False
        _notify(booking, "workspace_booking_reminder")
    return True


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send every reminder that is due and not yet sent (run by the worker's schedule); return how many."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start, end = at_local(tomorrow, datetime.min.time()), at_local(tomorrow + timedelta(days=1), datetime.min.time())
    candidates = Booking.objects.filter(
        kind=Booking.Kind.BOOKING,
        status=Booking.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gte=max(start, now),
        starts_at__lt=end,
    ).exclude(email="")
    return sum(send_booking_reminder(booking_id=pk, now=now) for pk in candidates.values_list("pk", flat=True))


__all__ = [
    "ACTIVE_STATUSES",
    "block_time",
    "cancel_booking",
    "check_in_booking",
    "create_booking",
    "mark_no_show",
    "move_booking",
    "record_booking_payment",
    "rotate_wifi_password",
    "send_booking_reminder",
    "send_due_reminders",
]
