"""Low stock: tell the producer once when an item falls to its threshold, again only after it was restocked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from otop.catalog.models import Variant
from otop.inventory.models import LowStockThreshold, StockLevel
from otop.producers import notify


def set_threshold(*, variant: Variant, minimum: int | None) -> LowStockThreshold | None:
    """Set (or with None remove) the low-stock threshold of an item."""
    if minimum is None:
        LowStockThreshold.objects.filter(variant=variant).delete()
        return None
    threshold, _created = LowStockThreshold.objects.update_or_create(variant=variant, defaults={"minimum": minimum})
    check_low_stock(variant_ids=[variant.pk])
    threshold.refresh_from_db()
    return threshold


def check_low_stock(*, variant_ids: Iterable[int], now: datetime | None = None) -> int:
    """Compare the items' stock (all locations) with their thresholds; return how many alerts were sent.

    Called after a stock change commits. An item already below its threshold is not announced again;
    its alert is re-armed when its stock rises above the threshold.
    """
    variant_ids = list(variant_ids)
    if not variant_ids or not LowStockThreshold.objects.filter(variant_id__in=variant_ids).exists():
        return 0
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        thresholds = list(
            LowStockThreshold.objects.select_for_update()
            .filter(variant_id__in=variant_ids)
            .select_related("variant__product__producer")
            .order_by("pk")
        )
        totals = dict(
            StockLevel.objects.filter(variant_id__in=[t.variant_id for t in thresholds])
            .values("variant_id")
            .annotate(total=Sum("on_hand"))
            .values_list("variant_id", "total")
        )
        for threshold in thresholds:
            on_hand = int(totals.get(threshold.variant_id) or 0)
            low = on_hand <= threshold.minimum
            if low and threshold.alerted_at is None:
                LowStockThreshold.objects.filter(pk=threshold.pk).update(alerted_at=now)
                _tell_producer(threshold, on_hand)
                sent += 1
            elif not low and threshold.alerted_at is not None:
                LowStockThreshold.objects.filter(pk=threshold.pk).update(alerted_at=None)
    return sent


def _tell_producer(threshold: LowStockThreshold, on_hand: int) -> None:
    variant = threshold.variant
    producer = variant.product.producer
    # Every channel the producer can be reached by: e-mail, and LINE once linked.
    notify.producer(
        producer=producer,
        event="low_stock",
        context={
            "producer": producer,
            "product_name": str(variant),
            "sku": variant.sku,
            "on_hand": on_hand,
            "minimum": threshold.minimum,
        },
    )
