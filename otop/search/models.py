from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductDocument(models.Model):
    """A product as the search engine sees it: pre-segmented, space-joined tokens plus filter values.

    SQLite mirrors the four token columns in the FTS5 table `search_fts` (rowid = product id);
    PostgreSQL keeps a generated, weighted tsvector column `document` with a GIN index on this
    table. Both are created by migration 0002 for their database only. Rebuilt by
    `manage.py rebuild_search_index`; kept current by otop.search.services.
    """

    product = models.OneToOneField(
        "catalog.Product", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    name = models.TextField(_("name tokens"), blank=True)
    body = models.TextField(_("description tokens"), blank=True)
    name_loose = models.TextField(_("loose name tokens"), blank=True)
    body_loose = models.TextField(_("loose description tokens"), blank=True)
    is_listed = models.BooleanField(_("listed"), default=False)
    category_code = models.CharField(_("category"), max_length=30, blank=True)
    district_code = models.CharField(_("district"), max_length=4, blank=True)
    min_price = models.DecimalField(_("lowest price"), max_digits=12, decimal_places=2, null=True)
    stars = models.PositiveSmallIntegerField(_("OTOP star level"), null=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["is_listed", "category_code"]),
            models.Index(fields=["is_listed", "district_code"]),
        ]

    def __str__(self) -> str:
        return str(self.product_id)
