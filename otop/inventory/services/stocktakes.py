"""Stocktake: a count sheet per location, filled by scanning, approved by a manager into corrections."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.core.services import record_audit_event
from otop.inventory.errors import CountBelowHeld, StocktakeClosed, UnknownBarcode
from otop.inventory.locks import ensure_stock_levels, lock_stock_levels
from otop.inventory.models import Location, StockLevel, StockMove, Stocktake, StocktakeLine
from otop.inventory.services.stock import _check_low_stock_after_commit


@transaction.atomic
def start_stocktake(*, location: Location, actor: User | None) -> Stocktake:
    """Open a count sheet listing every item the location should hold, each counted 0 so far."""
    stocktake = Stocktake.objects.create(location=location, started_by=actor)
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=stocktake, variant_id=variant_id, expected=on_hand)
        for variant_id, on_hand in StockLevel.objects.filter(location=location)
        .exclude(on_hand=0)
        .values_list("variant_id", "on_hand")
    )
    return stocktake


def find_variant(code: str) -> Variant:
    code = code.strip()
    variant = Variant.objects.filter(Q(barcode=code) | Q(sku__iexact=code)).select_related("product").first()
    if variant is None:
        raise UnknownBarcode(code)
    return variant


@transaction.atomic
def count_scan(*, stocktake: Stocktake, code: str, quantity: int = 1) -> StocktakeLine:
    """One scan adds one unit (or `quantity`) of the scanned item to the sheet."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != Stocktake.Status.COUNTING:
        raise StocktakeClosed()
    variant = find_variant(code)
    line, created = StocktakeLine.objects.get_or_create(
        stocktake=stocktake,
        variant=variant,
        defaults={
            "expected": StockLevel.objects.filter(variant=variant, location_id=stocktake.location_id)
            .values_list("on_hand", flat=True)
            .first()
            or 0,
        },
    )
    StocktakeLine.objects.filter(pk=line.pk).update(counted=F("counted") + quantity)
    line.refresh_from_db()
    return line


@transaction.atomic
def set_count(*, stocktake: Stocktake, variant: Variant, counted: int) -> StocktakeLine:
    """Type a count instead of scanning every unit."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != Stocktake.Status.COUNTING:
        raise StocktakeClosed()
    line, _created = StocktakeLine.objects.get_or_create(stocktake=stocktake, variant=variant)
    StocktakeLine.objects.filter(pk=line.pk).update(counted=counted)
    line.refresh_from_db()
    return line


@transaction.atomic
def approve_stocktake(*, stocktake: Stocktake, actor: User | None) -> list[StockMove]:
    """Make stock equal the count: post the differences as STOCKTAKE moves (manager's approval)."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != Stocktake.Status.COUNTING:
        raise StocktakeClosed()
    lines = list(stocktake.lines.select_related("variant"))
    variant_ids = [line.variant_id for line in lines]
    ensure_stock_levels(variant_ids=variant_ids, location_ids=[stocktake.location_id])
    levels = {
        lv.variant_id: lv for lv in lock_stock_levels(variant_ids=variant_ids, location_ids=[stocktake.location_id])
    }
    short = [line.variant.sku for line in lines if line.counted < levels[line.variant_id].reserved]
    if short:
        raise CountBelowHeld(short)
    moves = []
    for line in lines:
        level = levels[line.variant_id]
        difference = line.counted - level.on_hand
        # The sheet keeps what stock said at approval, so its variance is what was posted.
        StocktakeLine.objects.filter(pk=line.pk).update(expected=level.on_hand)
        if difference == 0:
            continue
        StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + difference)
        moves.append(
            StockMove(
                variant_id=line.variant_id,
                from_location_id=stocktake.location_id if difference < 0 else None,
                to_location_id=stocktake.location_id if difference > 0 else None,
                quantity=abs(difference),
                reason=StockMove.Reason.STOCKTAKE,
                actor=actor,
                reference=stocktake.reference,
            )
        )
    StockMove.objects.bulk_create(moves)
    Stocktake.objects.filter(pk=stocktake.pk).update(
        status=Stocktake.Status.APPROVED, approved_at=timezone.now(), approved_by=actor
    )
    _check_low_stock_after_commit(variant_ids)
    record_audit_event(
        actor=actor, action="inventory.stocktake_approved", target=stocktake, summary=f"{len(moves)} corrections"
    )
    return moves


@transaction.atomic
def cancel_stocktake(*, stocktake: Stocktake, actor: User | None) -> None:
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != Stocktake.Status.COUNTING:
        raise StocktakeClosed()
    Stocktake.objects.filter(pk=stocktake.pk).update(status=Stocktake.Status.CANCELLED)
