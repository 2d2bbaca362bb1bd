"""Demo data: put some stock of the first demo products on the online shelf so the web shop can sell.

Idempotent: variants that already have any stock level are left alone. At most 500 variants, through
the inventory service (one ledger move each).
"""

from __future__ import annotations

import random

from otop.catalog.selectors import sellable_variants
from otop.inventory import selectors, services
from otop.inventory.models import Location, StockLevel

LIMIT = 500


def seed(*, products: int, seed: int) -> None:
    rng = random.Random(seed)
    stocked = StockLevel.objects.values_list("variant_id", flat=True)
    variants = list(sellable_variants().exclude(pk__in=stocked).order_by("pk")[:LIMIT])
    online = selectors.location(Location.Code.ONLINE)
    for variant in variants:
        services.receive_stock(
            variant=variant, location=online, quantity=rng.randint(3, 40), actor=None, reference="DEMO", note="demo"
        )
