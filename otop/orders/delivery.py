"""How a parcel order is priced: the shipping app (above orders) registers its pricer from its
AppConfig.ready(); without one the shop settings' flat parcel rate applies.

A pricer gets the order's goods, the resolved postcode, the goods' value, the option the customer
chose (`<carrier>:<service>`, empty for the cheapest) and whether the carrier is to collect cash on
delivery, and returns a ParcelPrice (its fee includes the COD fee then), or raises `InvalidOrder` with
field errors (goods without a weight, an option not offered to that address, COD where the carrier has none).
It is called before the order's transaction (it may ask a carrier's API); `record` runs inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from otop.catalog.models import Variant
    from otop.orders.models import Order


@dataclass(frozen=True)
class ParcelPrice:
    fee: Decimal
    label: str = ""
    # The part of `fee` the carrier charges for collecting cash on delivery (zero otherwise).
    cod_fee: Decimal = Decimal("0.00")
    # Called with the new order inside place_order's transaction (the shipping app keeps its shipment).
    record: Callable[[Order], None] | None = field(default=None, compare=False)


class ParcelPricer(Protocol):
    def __call__(
        self,
        *,
        items: list[tuple[Variant, int]],
        postcode: str,
        subtotal: Decimal,
        option: str,
        cash_on_delivery: bool = False,
    ) -> ParcelPrice: ...


_pricer: ParcelPricer | None = None


def register_parcel_pricer(pricer: ParcelPricer) -> None:
    global _pricer
    _pricer = pricer


def parcel_pricer() -> ParcelPricer | None:
    return _pricer
