from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from otop.core.errors import Conflict, DomainError


@dataclass(frozen=True)
class Shortage:
    variant_id: int
    sku: str
    name: str
    requested: int
    available: int


class OutOfStock(Conflict):
    """Not enough stock for one or more items; nothing was taken."""

    code = "out_of_stock"

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        items = "; ".join(
            _("%(name)s (%(sku)s): %(requested)s wanted, %(available)s left")
            % {"name": s.name, "sku": s.sku, "requested": s.requested, "available": s.available}
            for s in shortages
        )
        super().__init__(
            _("Not enough stock: %(items)s") % {"items": items},
            fields={"items": [s.sku for s in shortages]},
        )


class InvalidQuantity(DomainError):
    code = "invalid_quantity"

    def __init__(self, quantity: object):
        super().__init__(_("A quantity must be a whole number above zero, not %(quantity)s.") % {"quantity": quantity})


class ReservationClosed(Conflict):
    code = "reservation_closed"

    def __init__(self, reference: str, status: str):
        super().__init__(
            _("The stock held for %(reference)s was already released (%(status)s).")
            % {"reference": reference, "status": status}
        )
