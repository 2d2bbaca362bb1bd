"""What room bookings keep about a person, with an account or as a guest by e-mail or phone, for PDPA
requests (core.personal_data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from otop.core.personal_data import EMAIL, Contact, PersonalDataHandler, register_personal_data
from otop.core.retention import MONTHS, RetentionTarget, register_retention_target
from otop.workspace.models import Booking


def export(user) -> dict[str, Any]:
    return _rows(Booking.objects.filter(user=user))


def _guest_bookings(contact: Contact):
    """Bookings made without an account under this e-mail or phone (stored normalised by the booking)."""
    guests = Booking.objects.filter(user__isnull=True)
    if contact.kind == EMAIL:
        return guests.filter(email__iexact=contact.value)
    return guests.filter(phone=contact.value)


def export_contact(contact: Contact) -> dict[str, Any]:
    return _rows(_guest_bookings(contact))


def _rows(bookings) -> dict[str, Any]:
    bookings = bookings.select_related("space").order_by("starts_at", "pk")
    return {
        "bookings": [
            {
                "reference": booking.reference, "space": booking.space.name_th,
                "starts_at": booking.starts_at.isoformat(),
                "ends_at": booking.ends_at.isoformat(), "name": booking.name, "phone": booking.phone,
                "email": booking.email, "purpose": booking.purpose, "amount": str(booking.amount_due),
            }
            for booking in bookings
        ]
    }  # fmt: skip


def erase(user) -> str:
    erased = Booking.objects.filter(user=user).update(name="", phone="", email="", purpose="")
    return f"contact details taken off {erased} booking(s)"


def erase_contact(contact: Contact) -> str:
    erased = _guest_bookings(contact).update(name="", phone="", email="", purpose="")
    return f"contact details taken off {erased} guest booking(s)"


def _old_contacts(cutoff: datetime):
    """Bookings that ended before the cutoff and still carry a contact."""
    return Booking.objects.filter(ends_at__lt=cutoff).exclude(name="", phone="", email="", purpose="")


def count_old_contacts(cutoff: datetime) -> int:
    return _old_contacts(cutoff).count()


def forget_old_contacts(cutoff: datetime) -> int:
    """Retention: the contact leaves the booking; the slot, amount and payments stay."""
    return _old_contacts(cutoff).update(name="", phone="", email="", purpose="")


def register() -> None:
    register_personal_data(
        PersonalDataHandler(
            app="workspace", export=export, erase=erase, export_contact=export_contact, erase_contact=erase_contact
        )
    )
    register_retention_target(
        RetentionTarget(
            key="booking_contacts",
            label=_("Room bookings: name, phone, e-mail and purpose"),
            keep_for=6,
            unit=MONTHS,
            count=count_old_contacts,
            forget=forget_old_contacts,
        )
    )
