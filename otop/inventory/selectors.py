"""Reads of stock."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import F, Sum

from otop.inventory.models import Location, StockLevel


def location(code: str) -> Location:
    """Return a stock location by code (cached: locations are set up once)."""
    key = f"inventory:location:{code}"
    found = cache.get(key)
    if found is None:
        found = Location.objects.get(code=code)
        cache.set(key, found, 300)
    return found


def online_locations() -> list[Location]:
    return list(Location.objects.filter(sells_online=True).order_by("reserve_priority", "pk"))


def available_quantities(*, variant_ids: Iterable[int], location_codes: Iterable[str] | None = None) -> dict[int, int]:
    """Units that can still be sold (on hand minus reserved), per variant, over some locations.

    Without location_codes: the locations web and LINE orders sell from.
    """
    variant_ids = list(variant_ids)
    levels = StockLevel.objects.filter(variant_id__in=variant_ids)
    if location_codes is None:
        levels = levels.filter(location__sells_online=True)
    else:
        levels = levels.filter(location__code__in=list(location_codes))
    totals = dict(
        levels.values("variant_id").annotate(free=Sum(F("on_hand") - F("reserved"))).values_list("variant_id", "free")
    )
    return {variant_id: int(totals.get(variant_id) or 0) for variant_id in variant_ids}


def on_hand(*, variant_id: int, location_code: str) -> int:
    level = StockLevel.objects.filter(variant_id=variant_id, location__code=location_code).first()
    return level.on_hand if level else 0
