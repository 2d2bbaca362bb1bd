_STAFF = ["payments.view_payment", "payments.view_banktransfer"]

ROLE_PERMISSIONS = {"manager": _STAFF, "staff": _STAFF}
