from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "otop.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        # Imported here: models may be imported only once the app registry is ready.
        from otop.catalog.csvio import register_stock_column
        from otop.core.metrics import register_gauge
        from otop.inventory.csvio import CatalogStockColumn
        from otop.inventory.models import StockShortfall

        register_stock_column(CatalogStockColumn())
        register_gauge(
            "otop_stock_shortfalls_open",
            "Sales recorded without the stock to cover them (offline tills), not yet resolved.",
            lambda: StockShortfall.objects.filter(resolved_at__isnull=True).count(),
        )
