from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from otop.core.collation import SortKeyField


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
    name_head = models.CharField(_("head word of the name"), max_length=300, blank=True)
    name_words = models.PositiveSmallIntegerField(_("words in the name"), default=0)
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


class ListingEntry(models.Model):
    """A product as lists see it: one narrow row of the values pages filter and sort on.

    Category and district pages page through these rows (with an index per common order) without
    reading the wide search documents. On PostgreSQL the row also carries `names`, a weighted
    tsvector of the name tokens alone (migration 0004), so a search ranks the products whose name
    matches without reading each one's whole document. Written with the document by
    otop.search.services.
    """

    product = models.OneToOneField(
        "catalog.Product", primary_key=True, on_delete=models.CASCADE, related_name="listing_entry"
    )
    is_listed = models.BooleanField(_("listed"), default=False)
    category_code = models.CharField(_("category"), max_length=30, blank=True)
    district_code = models.CharField(_("district"), max_length=4, blank=True)
    min_price = models.DecimalField(_("lowest price"), max_digits=12, decimal_places=2, null=True)
    stars = models.PositiveSmallIntegerField(_("OTOP star level"), null=True)
    # thai_sort_key() of the Thai name: the listing's name order is Thai dictionary order, read from an index.
    sort_name = SortKeyField(_("name (Thai)"), max_length=200, blank=True)
    # the same key of the English name (the Thai one when a product has none), for English pages
    sort_name_en = SortKeyField(_("name (English)"), max_length=200, blank=True)
    # Ranking keys (otop.search.selectors): the forms of the name's head word, space-separated with a
    # space at each end, and how many words the Thai name has (a short name equal to the query first).
    name_head = models.CharField(_("head word of the name"), max_length=300, blank=True)
    name_words = models.PositiveSmallIntegerField(_("words in the name"), default=0)

    class Meta:
        verbose_name = _("listing entry")
        verbose_name_plural = _("listing entries")
        indexes = [
            models.Index(fields=["is_listed", "category_code", "sort_name", "product"], name="listing_category_name"),
            models.Index(fields=["is_listed", "district_code", "sort_name", "product"], name="listing_district_name"),
            models.Index(fields=["is_listed", "sort_name", "product"], name="listing_name"),
            models.Index(
                fields=["is_listed", "category_code", "sort_name_en", "product"], name="listing_category_name_en"
            ),
            models.Index(
                fields=["is_listed", "district_code", "sort_name_en", "product"], name="listing_district_name_en"
            ),
            models.Index(fields=["is_listed", "sort_name_en", "product"], name="listing_name_en"),
            models.Index(fields=["is_listed", "category_code", "min_price", "product"], name="listing_category_price"),
            models.Index(fields=["is_listed", "district_code", "min_price", "product"], name="listing_district_price"),
            models.Index(fields=["is_listed", "stars", "product"], name="listing_stars"),
        ]

    def __str__(self) -> str:
        return str(self.product_id)


class SearchTerm(models.Model):
    """A word of the index's own vocabulary (an exact token of some document) and how many documents have it.

    The spelling corrector (otop.search.spelling) proposes only these words, so a corrected query
    always names something on the shelf. Counts are kept by otop.search.services as documents change.
    """

    term = models.CharField(_("term"), max_length=100, unique=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)
    in_names = models.PositiveIntegerField(_("documents with it in the name"), default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term
