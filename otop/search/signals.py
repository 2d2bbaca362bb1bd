"""Keep the search index current when products change (a cache-style update, per STYLE.md).

Every change is noted in a per-thread set and indexed in one batch when the transaction commits:
a CSV import of 5,000 rows saves (or bulk-inserts) 5,000 products and is indexed with a few
statements, not 5,000 callbacks each indexing one product. Sources: post_save/post_delete of
products and variants, saves of producers and categories (their names are in the documents), and
the catalog's `products_changed` signal, which bulk writes send.
"""

from __future__ import annotations

import threading

from django.db import connections, transaction

from otop.search.services import RANK_SHIFT, index_products

_pending = threading.local()


def _ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def flush_pending() -> int:
    """Index what changed since the last flush (runs after each commit that changed products)."""
    ids = _ids()
    if not ids:
        return 0
    wanted = sorted(ids)
    ids.clear()
    return index_products(product_ids=wanted)


def reindex_after_commit(product_ids) -> None:
    """Note products to index when the current transaction commits (at once outside one).

    Each call registers a flush; the first to run indexes every noted product in one batch and the
    rest find nothing to do. Ids noted in a transaction that rolled back stay for the next flush:
    indexing a product again is harmless, and a deleted one leaves the index.
    """
    _ids().update(pk for pk in product_ids if pk is not None)
    transaction.on_commit(flush_pending)


def product_saved(sender, instance, **kwargs) -> None:
    reindex_after_commit([instance.pk])


def variant_changed(sender, instance, **kwargs) -> None:
    reindex_after_commit([instance.product_id])


def products_changed(sender, product_ids, **kwargs) -> None:
    reindex_after_commit(product_ids)


# Fields of producers and categories that the search documents contain.
PRODUCER_FIELDS = {"name_th", "name_en", "district", "province"}
CATEGORY_FIELDS = {"name_th", "name_en", "code"}


def producer_saved(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    if not created and (update_fields is None or PRODUCER_FIELDS & set(update_fields)):
        reindex_after_commit(instance.products.values_list("pk", flat=True))


def category_saved(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    if not created and (update_fields is None or CATEGORY_FIELDS & set(update_fields)):
        reindex_after_commit(instance.products.values_list("pk", flat=True))


def drop_orphaned_fts_rows(sender=None, using: str = "default", **kwargs) -> None:
    """Delete SQLite full-text rows, and PostgreSQL name postings, whose product has no search document."""
    connection = connections[using]
    tables = connection.introspection.table_names()
    if connection.vendor == "postgresql" and "search_namepostings" in tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_namepostings p WHERE NOT EXISTS "
                "(SELECT 1 FROM search_listingentry e WHERE e.product_id = p.product_id)"
            )
        return
    if connection.vendor != "sqlite" or "search_names" not in tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT product_id FROM search_productdocument)")
        cursor.execute(
            f"DELETE FROM search_names WHERE (rowid & {RANK_SHIFT - 1}) "
            "NOT IN (SELECT product_id FROM search_productdocument)"
        )
