"""What each role may do at the till (merged into the role groups by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "manager": ["pos.approve_till", "pos.view_sale", "pos.view_shift"],
}

AREAS = [
    ("accounts.operate_till", "pos:home", _("Registers")),
    ("pos.view_sale", "pos:review", _("Till sales to review")),
]
