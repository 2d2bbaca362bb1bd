"""What room bookings keep about a person with an account, for PDPA requests (core.personal_data)."""

from __future__ import annotations

from typing import Any

from otop.core.personal_data import PersonalDataHandler, register_personal_data
from otop.workspace.models import Booking


def export(user) -> dict[str, Any]:
    bookings = Booking.objects.filter(user=user).select_related("space").order_by("starts_at")
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


def register() -> None:
    register_personal_data(PersonalDataHandler(app="workspace", export=export, erase=erase))
