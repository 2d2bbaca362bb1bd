from django.utils.translation import gettext_lazy as _

_STAFF = ["orders.view_order", "orders.change_order", "orders.confirm_payment", "payments.view_payment"]

ROLE_PERMISSIONS = {"manager": [*_STAFF, "orders.change_shopsettings"], "staff": _STAFF}

AREAS = [("orders.view_order", "orders:list", _("Web orders"))]
