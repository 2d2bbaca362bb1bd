"""What each role may do in product selection (merged into the role groups by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

_STAFF = [
    "selection.view_application",
    "selection.view_meeting",
    "selection.manage_meetings",
    "selection.delist_product",
]

ROLE_PERMISSIONS = {
    "manager": [*_STAFF, "selection.change_criterion", "selection.add_criterion", "selection.change_decisionrule"],
    "staff": _STAFF,
    # Every member may chair; the service lets only the meeting's own chair decide.
    "committee": [
        "selection.view_application",
        "selection.view_meeting",
        "selection.score_application",
        "selection.decide_application",
    ],
}

AREAS = [
    ("selection.view_meeting", "selection:meetings", _("Committee meetings")),
    ("selection.manage_meetings", "selection:backoffice-applications", _("Product applications")),
]
