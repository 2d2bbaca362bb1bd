"""Row locks on stock levels, always taken in primary-key order so two tills cannot deadlock.

On PostgreSQL SELECT … FOR UPDATE locks the rows; on SQLite the whole database is locked
for writing from BEGIN (transaction_mode IMMEDIATE), which gives the same guarantee.
"""

from __future__ import annotations

from collections.abc import Collection

from otop.inventory.models import StockLevel


def ensure_stock_levels(*, variant_ids: Collection[int], location_ids: Collection[int]) -> None:
    """Create the missing (variant, location) rows with zero stock; safe when two callers race."""
    existing = set(
        StockLevel.objects.filter(variant_id__in=variant_ids, location_id__in=location_ids).values_list(
            "variant_id", "location_id"
        )
    )
    missing = [
        StockLevel(variant_id=variant_id, location_id=location_id)
        for variant_id in variant_ids
        for location_id in location_ids
        if (variant_id, location_id) not in existing
    ]
    if missing:
        StockLevel.objects.bulk_create(missing, ignore_conflicts=True)


def lock_stock_levels(*, variant_ids: Collection[int], location_ids: Collection[int]) -> list[StockLevel]:
    """Lock and return the levels of these variants at these locations. Caller must be in a transaction."""
    # list() forces the query: an unevaluated select_for_update locks nothing.
    return list(
        StockLevel.objects.select_for_update()
        .filter(variant_id__in=variant_ids, location_id__in=location_ids)
        .order_by("pk")
    )
