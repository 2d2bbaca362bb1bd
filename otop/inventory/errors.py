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


class SameLocation(DomainError):
    code = "same_location"

    def __init__(self):
        super().__init__(_("Choose two different locations to move stock between."))


class WrongProducer(DomainError):
    code = "wrong_producer"

    def __init__(self, skus: list[str], producer: str):
        super().__init__(
            _("These items are not made by %(producer)s: %(skus)s") % {"producer": producer, "skus": ", ".join(skus)},
            fields={"items": skus},
        )


class CostPriceRequired(DomainError):
    code = "cost_price_required"

    def __init__(self, skus: list[str]):
        super().__init__(
            _("An outright purchase needs a cost price for every item: %(skus)s") % {"skus": ", ".join(skus)},
            fields={"items": skus},
        )


class SettlementExists(Conflict):
    code = "settlement_exists"

    def __init__(self, producer: str, number: str):
        super().__init__(
            _("%(producer)s already has a settlement for this period (%(number)s); it cannot be made twice.")
            % {"producer": producer, "number": number}
        )


class NothingToSettle(DomainError):
    code = "nothing_to_settle"

    def __init__(self, producer: str):
        super().__init__(_("%(producer)s has no consigned sales to settle in this period.") % {"producer": producer})


class SettlementAlreadyPaid(Conflict):
    code = "settlement_paid"

    def __init__(self, number: str):
        super().__init__(_("Settlement %(number)s is already marked as paid.") % {"number": number})


class StocktakeClosed(Conflict):
    code = "stocktake_closed"

    def __init__(self):
        super().__init__(_("This count sheet is already approved or cancelled."))


class UnknownBarcode(DomainError):
    code = "unknown_barcode"

    def __init__(self, code: str):
        super().__init__(_("No item has the barcode or SKU %(code)s.") % {"code": code}, fields={"code": [code]})


class CountBelowHeld(Conflict):
    code = "count_below_held"

    def __init__(self, skus: list[str]):
        super().__init__(
            _("Fewer units were counted than are held for orders: %(skus)s. Settle those orders first.")
            % {"skus": ", ".join(skus)},
            fields={"items": skus},
        )


class SaleAlreadyRecorded(Conflict):
    code = "sale_recorded"

    def __init__(self, reference: str):
        super().__init__(_("%(reference)s was recorded with other lines.") % {"reference": reference})


class NotABasket(DomainError):
    code = "not_a_basket"

    def __init__(self, sku: str):
        super().__init__(_("%(sku)s is not a gift basket with components.") % {"sku": sku}, fields={"code": [sku]})


class InvalidCommission(DomainError):
    code = "invalid_commission"

    def __init__(self, percent: object):
        super().__init__(
            _("A commission is between 0 and 100 percent (%(percent)s given).") % {"percent": percent},
            fields={"percent": [_("Between 0 and 100.")]},
        )
