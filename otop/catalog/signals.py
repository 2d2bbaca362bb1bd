"""Signals the catalog sends for the apps above it (search keeps its index with them).

`products_changed` is sent by writes that bypass `Model.save()` — bulk inserts and updates, CSV
imports — with `product_ids`, the products whose data changed (or that were deleted). Receivers
run inside the sender's transaction: defer real work with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

products_changed = Signal()


def send_products_changed(*, product_ids: Iterable[int]) -> None:
    """Tell the apps above that these products changed without a save() of each."""
    ids = [pk for pk in product_ids if pk is not None]
    if ids:
        products_changed.send(sender="catalog.Product", product_ids=ids)
