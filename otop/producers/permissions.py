"""What each role may do with the producer registry (merged into the role groups by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

_STAFF = [
    "producers.view_bankaccount",
    "producers.confirm_bankaccount",
    "producers.reveal_bankaccount",
    "producers.view_certification",
    "producers.add_certification",
    "producers.view_producermember",
    "producers.add_producermember",
]

ROLE_PERMISSIONS = {
    "manager": [*_STAFF, "producers.view_national_id"],
    "staff": _STAFF,
}

AREAS = [
    ("producers.view_producer", "producers:backoffice-list", _("Producers")),
    ("producers.view_certification", "producers:backoffice-expiring", _("Certifications expiring soon")),
    ("accounts.use_producer_portal", "producers:portal", _("Producer portal")),
]
