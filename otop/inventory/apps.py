from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "otop.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.catalog.csvio import register_stock_column
        from otop.inventory.csvio import CatalogStockColumn

        register_stock_column(CatalogStockColumn())
