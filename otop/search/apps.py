from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "otop.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from otop.search import signals

        post_save.connect(signals.product_saved, sender="catalog.Product", dispatch_uid="search-product-saved")
        post_save.connect(signals.variant_changed, sender="catalog.Variant", dispatch_uid="search-variant-saved")
        post_delete.connect(signals.variant_changed, sender="catalog.Variant", dispatch_uid="search-variant-deleted")
