"""Keep the search index current when products change (a cache-style update, per STYLE.md).

The catalog and committee flows may also call otop.search.services.index_products directly; bulk
loads (bulk_create) send no signal and are caught by `rebuild_search_index` or the demo seeder.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction


def _reindex_after_commit(product_id: int | None) -> None:
    if product_id is None:
        return
    from otop.search.services import index_product

    transaction.on_commit(partial(index_product, product_id=product_id))


def product_saved(sender, instance, **kwargs) -> None:
    _reindex_after_commit(instance.pk)


def variant_changed(sender, instance, **kwargs) -> None:
    _reindex_after_commit(instance.product_id)
