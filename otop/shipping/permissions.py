from django.utils.translation import gettext_lazy as _

_STAFF = ["shipping.view_shipment", "shipping.change_shipment", "orders.change_order"]

ROLE_PERMISSIONS = {
    "manager": [
        *_STAFF,
        "shipping.view_carrier",
        "shipping.change_carrier",
        "shipping.view_service",
        "shipping.change_service",
        "shipping.add_service",
        "shipping.view_rateband",
        "shipping.add_rateband",
        "shipping.change_rateband",
        "shipping.delete_rateband",
        "shipping.view_remotearea",
        "shipping.add_remotearea",
        "shipping.change_remotearea",
        "shipping.delete_remotearea",
        "shipping.view_boxsize",
        "shipping.add_boxsize",
        "shipping.change_boxsize",
        "shipping.view_shippingsettings",
        "shipping.change_shippingsettings",
        "shipping.view_pickupholiday",
        "shipping.add_pickupholiday",
        "shipping.change_pickupholiday",
        "shipping.delete_pickupholiday",
    ],
    "staff": _STAFF,
}

AREAS = [("shipping.view_shipment", "shipping:list", _("Parcels"))]
