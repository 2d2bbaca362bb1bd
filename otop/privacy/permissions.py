"""Who edits the privacy notice and answers people's data requests (merged into the roles by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "manager": [
        "privacy.add_notice",
        "privacy.view_notice",
        "privacy.handle_datarequest",
        "privacy.view_datarequest",
        "privacy.view_retentionrule",
        "privacy.change_retentionrule",
        "privacy.add_breach",
        "privacy.view_breach",
        "privacy.change_breach",
    ],
}

AREAS = [
    ("privacy.handle_datarequest", "privacy:requests", _("Personal data requests")),
    ("privacy.add_notice", "privacy:notices", _("Privacy notice")),
    ("privacy.change_retentionrule", "privacy:retention", _("How long personal data is kept")),
    ("privacy.add_breach", "privacy:breaches", _("Data breach log")),
]
