from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from otop.catalog.signals import products_changed


class SearchConfig(AppConfig):
    name = "otop.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from otop.search import signals

        post_save.connect(signals.product_saved, sender="catalog.Product", dispatch_uid="search-product-saved")
        post_save.connect(signals.variant_changed, sender="catalog.Variant", dispatch_uid="search-variant-saved")
        post_delete.connect(signals.variant_changed, sender="catalog.Variant", dispatch_uid="search-variant-deleted")
        post_delete.connect(signals.product_saved, sender="catalog.Product", dispatch_uid="search-product-deleted")
        post_save.connect(signals.producer_saved, sender="producers.Producer", dispatch_uid="search-producer-saved")
        post_save.connect(signals.category_saved, sender="catalog.Category", dispatch_uid="search-category-saved")
        products_changed.connect(signals.products_changed, dispatch_uid="search-products-changed")
        # After migrate and after a flush (tests): the SQLite full-text tables and PostgreSQL's name postings
        # are not Django models, so a flush leaves their rows behind; rows of products with no document would
        # crowd the name index's LIMIT.
        post_migrate.connect(signals.drop_orphaned_fts_rows, sender=self, dispatch_uid="search-fts-orphans")
