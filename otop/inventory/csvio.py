"""The `stock` column of the catalogue CSV: read what is on hand, receive the difference through the ledger.

Registered with otop.catalog.csvio by InventoryConfig.ready(), so the catalogue's import stays all or
nothing while every unit it adds is a consignment-intake move with the reference `catalog-csv`.
"""

from __future__ import annotations

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.inventory.models import StockLevel, StockMove
from otop.inventory.selectors import location
from otop.inventory.services import receive_stock_in_bulk


class CatalogStockColumn:
    locations = ("backstore", "shop")

    def on_hand(self, *, skus: list[str], location_code: str) -> dict[str, int]:
        return dict(
            StockLevel.objects.filter(variant__sku__in=skus, location__code=location_code).values_list(
                "variant__sku", "on_hand"
            )
        )

    def receive(self, *, deliveries: list[tuple[Variant, int]], location_code: str, actor: User | None) -> None:
        """Receive what each row's stock adds to what is on hand (the caller's transaction holds it all)."""
        where = location(location_code)
        on_hand = self.on_hand(skus=[variant.sku for variant, _quantity in deliveries], location_code=location_code)
        missing = [(variant, quantity - on_hand.get(variant.sku, 0)) for variant, quantity in deliveries]
        missing = [(variant, quantity) for variant, quantity in missing if quantity > 0]
        if missing:
            receive_stock_in_bulk(
                deliveries=missing,
                location=where,
                actor=actor,
                reason=StockMove.Reason.CONSIGNMENT_INTAKE,
                reference="catalog-csv",
            )

    def default_variants_on_hand(self, *, location_code: str) -> dict[int, int]:
        return dict(
            StockLevel.objects.filter(location__code=location_code, variant__is_default=True).values_list(
                "variant_id", "on_hand"
            )
        )
