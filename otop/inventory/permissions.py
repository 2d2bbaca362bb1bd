"""What each role may do with stock (merged into the role groups by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

_STAFF = [
    "inventory.view_stocklevel",
    "inventory.view_stockmove",
    "inventory.transfer_stock",
    "inventory.view_intake",
    "inventory.receive_stock",
    "inventory.count_stock",
    "inventory.view_lowstockthreshold",
    "inventory.change_lowstockthreshold",
    "inventory.view_settlement",
]

ROLE_PERMISSIONS = {
    "manager": [
        *_STAFF,
        "inventory.approve_stocktake",
        "inventory.settle_producers",
        "inventory.view_commissionrate",
        "inventory.add_commissionrate",
        "inventory.change_commissionrate",
    ],
    "staff": _STAFF,
}

AREAS = [
    ("inventory.view_stocklevel", "inventory:stock", _("Stock")),
    ("inventory.transfer_stock", "inventory:baskets", _("Gift baskets")),
    ("inventory.view_intake", "inventory:intakes", _("Deliveries from producers")),
    ("inventory.count_stock", "inventory:stocktakes", _("Stocktake")),
    ("inventory.view_lowstockthreshold", "inventory:low-stock", _("Low stock")),
    ("inventory.view_settlement", "inventory:settlements", _("Producer settlements")),
    ("accounts.use_producer_portal", "inventory:my-stock", _("My stock at the center")),
    ("accounts.use_producer_portal", "inventory:my-statements", _("My statements")),
]
