from django.utils.translation import gettext_lazy as _

_STAFF = ["orders.view_order", "orders.change_order", "orders.confirm_payment", "payments.view_payment"]

# Managers run promotions: they create and change coupons (staff see them).
_COUPONS = ["orders.view_coupon", "orders.add_coupon", "orders.change_coupon"]

ROLE_PERMISSIONS = {
    "manager": [*_STAFF, "orders.change_shopsettings", *_COUPONS],
    "staff": [*_STAFF, "orders.view_coupon"],
}

AREAS = [("orders.view_order", "orders:list", _("Web orders"))]
