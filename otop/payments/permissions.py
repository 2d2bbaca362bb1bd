from django.utils.translation import gettext_lazy as _

_STAFF = ["payments.view_payment", "payments.view_banktransfer"]

ROLE_PERMISSIONS = {"manager": _STAFF, "staff": _STAFF}

AREAS = [("payments.view_banktransfer", "payments:bank-transfers", _("Money from the bank"))]
