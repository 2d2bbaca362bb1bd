from django.utils.translation import gettext_lazy as _

_STAFF = ["payments.view_payment", "payments.view_banktransfer", "payments.view_statementline", "payments.add_refund"]

ROLE_PERMISSIONS = {"manager": [*_STAFF, "payments.add_statementimport"], "staff": _STAFF}

AREAS = [
    ("payments.view_banktransfer", "payments:bank-transfers", _("Money from the bank")),
    ("payments.view_statementline", "payments:reconciliation", _("Bank statement reconciliation")),
]
