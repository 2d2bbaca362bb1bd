"""What each role may do with the co-working spaces (merged into the roles by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

_STAFF = [
    "workspace.manage_bookings",
    "workspace.record_booking_payment",
    "workspace.view_utilisation",
    "workspace.view_booking",
    "workspace.view_space",
]

ROLE_PERMISSIONS = {
    "manager": [*_STAFF, "workspace.rotate_wifi", "workspace.add_space", "workspace.change_space"],
    "staff": _STAFF,
    # The till takes a booking's payment at the counter.
    "cashier": ["workspace.record_booking_payment"],
}

AREAS = [
    ("workspace.manage_bookings", "workspace:staff-calendar", _("Meeting room bookings")),
    ("workspace.rotate_wifi", "workspace:staff-wifi", _("Guest WiFi passwords")),
    ("workspace.view_utilisation", "workspace:staff-utilisation", _("Meeting room utilisation")),
]
