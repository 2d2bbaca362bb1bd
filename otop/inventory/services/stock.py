"""Writes of stock. Every change is a StockMove plus an update of the StockLevel in one transaction.

Rule for every function here: lock the levels (in primary-key order), check under the lock,
then write with F() expressions. Refused actions raise before anything is written.

Gift baskets: selling a basket (reserve_stock, sell_now) takes its assembled stock first and makes
the rest from its components, all or nothing; the levels of the basket and of its components are
locked together (one query, primary-key order). Items asked for on their own are served before the
baskets that contain them. A shortage names the basket.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.inventory.errors import InvalidQuantity, OutOfStock, ReservationClosed, SameLocation, Shortage
from otop.inventory.locks import ensure_stock_levels, lock_stock_levels
from otop.inventory.models import Location, Reservation, ReservationLine, StockLevel, StockMove, StockShortfall
from otop.inventory.selectors import basket_recipes, buildable, online_locations


@dataclass
class SaleResult:
    moves: list[StockMove] = field(default_factory=list)
    shortfalls: list[Shortage] = field(default_factory=list)


def _quantities(items: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Sum the quantities per variant id, refusing anything that is not a whole number above zero."""
    wanted: dict[int, int] = defaultdict(int)
    for variant_id, quantity in items:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidQuantity(quantity)
        wanted[int(variant_id)] += quantity
    if not wanted:
        raise InvalidQuantity(0)
    return dict(wanted)


def _variants(variant_ids: Iterable[int]) -> dict[int, Variant]:
    return {v.pk: v for v in Variant.objects.filter(pk__in=list(variant_ids)).select_related("product")}


def _shortage(variant: Variant, requested: int, available: int) -> Shortage:
    name = " ".join(part for part in (variant.product.name_th, variant.name_th) if part)
    return Shortage(variant_id=variant.pk, sku=variant.sku, name=name, requested=requested, available=available)


def _plan(
    wanted: dict[int, int], recipes: dict[int, list[tuple[int, int]]], free: dict[int, int], variants: dict
) -> tuple[dict[int, int], list[Shortage]]:
    """Which units to take for what was asked, given the free units per variant.

    Items asked for on their own come first; then each basket from its assembled stock, and the rest
    from its components. Returns the units to take per variant (as much as there is) and the shortages.
    """
    left = {variant_id: max(quantity, 0) for variant_id, quantity in free.items()}
    takes: dict[int, int] = defaultdict(int)
    shortages = []
    for variant_id, quantity in wanted.items():
        if variant_id in recipes:
            continue
        available = left.get(variant_id, 0)
        if available < quantity:
            shortages.append(_shortage(variants[variant_id], quantity, free.get(variant_id, 0)))
        take = min(quantity, available)
        takes[variant_id] += take
        left[variant_id] = available - take
    for variant_id, quantity in wanted.items():
        recipe = recipes.get(variant_id)
        if recipe is None:
            continue
        own = min(quantity, left.get(variant_id, 0))
        takes[variant_id] += own
        left[variant_id] = left.get(variant_id, 0) - own
        can_make = buildable(left, recipe)
        make = min(quantity - own, can_make)
        for component_id, per_basket in recipe:
            takes[component_id] += make * per_basket
            left[component_id] = left.get(component_id, 0) - make * per_basket
        if own + make < quantity:
            shortages.append(_shortage(variants[variant_id], quantity, own + can_make))
    return {variant_id: take for variant_id, take in takes.items() if take > 0}, shortages


def _components(recipes: dict[int, list[tuple[int, int]]]) -> set[int]:
    return {component_id for recipe in recipes.values() for component_id, _ in recipe}


def _shift_levels(changes: dict[int, tuple[int, int]]) -> None:
    """Add (on hand, reserved) to locked stock levels, by primary key, in one UPDATE.

    One written-out statement rather than one ORM update per level: an order's lines are a handful
    of levels, and the round trips and query building were most of what reserving and committing
    cost. The table's check constraints still refuse a negative or over-reserved level.
    """
    if not changes:
        return
    ids = sorted(changes)
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET on_hand = on_hand + CASE id {cases} ELSE 0 END, "
            f"reserved = reserved + CASE id {cases} ELSE 0 END WHERE id IN ({', '.join(['%s'] * len(ids))})",
            [
                *(value for pk in ids for value in (pk, changes[pk][0])),
                *(value for pk in ids for value in (pk, changes[pk][1])),
                *ids,
            ],
        )


@transaction.atomic
def receive_stock_in_bulk(
    *,
    deliveries: list[tuple[Variant, int]],
    location: Location,
    actor: User | None,
    reason: str = StockMove.Reason.PURCHASE,
    reference: str = "",
) -> list[StockMove]:
    """Receive many deliveries at one location as receive_stock does for one, with a few statements.

    A 5,000-row catalogue import received row by row spent most of its time in five round trips a
    row. Levels are created, locked (in primary-key order) and raised together; one move per delivery.
    """
    wanted = _quantities((variant.pk, quantity) for variant, quantity in deliveries)
    variant_ids = sorted(wanted)
    moves: list[StockMove] = []
    for start in range(0, len(variant_ids), 500):
        chunk = variant_ids[start : start + 500]
        ensure_stock_levels(variant_ids=chunk, location_ids=[location.pk])
        levels = lock_stock_levels(variant_ids=chunk, location_ids=[location.pk])
        _shift_levels({level.pk: (wanted[level.variant_id], 0) for level in levels})
    for variant, quantity in deliveries:
        moves.append(
            StockMove(
                variant=variant,
                to_location=location,
                quantity=quantity,
                reason=reason,
                actor=actor,
                reference=reference,
            )  # fmt: skip
        )
    StockMove.objects.bulk_create(moves, batch_size=500)
    _check_low_stock_after_commit(variant_ids)
    return moves


@transaction.atomic
def receive_stock(
    *,
    variant: Variant,
    location: Location,
    quantity: int,
    actor: User | None,
    reason: str = StockMove.Reason.PURCHASE,
    reference: str = "",
    note: str = "",
) -> StockMove:
    """Add delivered or returned goods to a location and record the move."""
    _quantities([(variant.pk, quantity)])
    ensure_stock_levels(variant_ids=[variant.pk], location_ids=[location.pk])
    lock_stock_levels(variant_ids=[variant.pk], location_ids=[location.pk])
    StockLevel.objects.filter(variant=variant, location=location).update(on_hand=F("on_hand") + quantity)
    _check_low_stock_after_commit([variant.pk])
    return StockMove.objects.create(
        variant=variant,
        to_location=location,
        quantity=quantity,
        reason=reason,
        actor=actor,
        reference=reference,
        note=note,
    )


def reserve_stock(
    *, items: Iterable[tuple[int, int]], reference: str, expires_at: datetime | None, actor: User | None = None
) -> Reservation:
    """Hold stock for an order from the locations that sell online; all or nothing.

    Raises OutOfStock naming every item that is short; nothing is held then.
    """
    wanted = _quantities(items)
    variants = _variants(wanted)
    unknown = set(wanted) - set(variants)
    if unknown:
        raise InvalidQuantity(sorted(unknown))
    recipes = basket_recipes(variant_ids=wanted)
    locations = online_locations()
    priority = {loc.pk: index for index, loc in enumerate(locations)}
    with transaction.atomic():
        levels = lock_stock_levels(variant_ids=set(wanted) | _components(recipes), location_ids=list(priority))
        by_variant: dict[int, list[StockLevel]] = defaultdict(list)
        for level in sorted(levels, key=lambda lv: priority[lv.location_id]):
            by_variant[level.variant_id].append(level)
        free = {variant_id: sum(level.available for level in found) for variant_id, found in by_variant.items()}
        takes, shortages = _plan(wanted, recipes, free, variants)
        if shortages:
            raise OutOfStock(shortages)
        reservation = Reservation.objects.create(reference=reference, expires_at=expires_at)
        lines = []
        held: dict[int, tuple[int, int]] = {}
        for variant_id, quantity in takes.items():
            remaining = quantity
            for level in by_variant[variant_id]:
                take = min(remaining, level.available)
                if take <= 0:
                    continue
                held[level.pk] = (0, take)
                lines.append(
                    ReservationLine(
                        reservation=reservation, variant_id=variant_id, location_id=level.location_id, quantity=take
                    )
                )
                remaining -= take
                if remaining == 0:
                    break
        _shift_levels(held)
        ReservationLine.objects.bulk_create(lines)
    return reservation


def _levels_of(lines: list[ReservationLine]) -> dict[tuple[int, int], int]:
    """Lock the levels a reservation's lines hold units on; (variant, location) -> level id."""
    levels = lock_stock_levels(
        variant_ids={line.variant_id for line in lines}, location_ids={line.location_id for line in lines}
    )
    return {(level.variant_id, level.location_id): level.pk for level in levels}


def _lock_reservation(reservation: Reservation) -> Reservation:
    return Reservation.objects.select_for_update().get(pk=reservation.pk)


@transaction.atomic
def commit_reservation(*, reservation: Reservation, actor: User | None = None) -> list[StockMove]:
    """Turn held stock into a sale (the order is paid). Committing twice returns the first moves."""
    reservation = _lock_reservation(reservation)
    if reservation.status == Reservation.Status.COMMITTED:
        return list(StockMove.objects.filter(reference=reservation.reference, reason=StockMove.Reason.SALE))
    if reservation.status != Reservation.Status.ACTIVE:
        raise ReservationClosed(reservation.reference, reservation.get_status_display())
    lines = list(reservation.lines.all())
    levels = _levels_of(lines)
    sold: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    moves = []
    for line in lines:
        pk = levels[(line.variant_id, line.location_id)]
        sold[pk] = (sold[pk][0] - line.quantity, sold[pk][1] - line.quantity)
        moves.append(
            StockMove(
                variant_id=line.variant_id,
                from_location_id=line.location_id,
                quantity=line.quantity,
                reason=StockMove.Reason.SALE,
                actor=actor,
                reference=reservation.reference,
            )
        )
    _shift_levels(dict(sold))
    StockMove.objects.bulk_create(moves)
    Reservation.objects.filter(pk=reservation.pk).update(status=Reservation.Status.COMMITTED, closed_at=timezone.now())
    _check_low_stock_after_commit([line.variant_id for line in lines])
    return moves


@transaction.atomic
def release_reservation(*, reservation: Reservation, reason: str = "cancelled") -> None:
    """Give held stock back (order cancelled or unpaid in time). Releasing twice does nothing."""
    reservation = _lock_reservation(reservation)
    if reservation.status != Reservation.Status.ACTIVE:
        return
    lines = list(reservation.lines.all())
    levels = _levels_of(lines)
    freed: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for line in lines:
        pk = levels[(line.variant_id, line.location_id)]
        freed[pk] = (0, freed[pk][1] - line.quantity)
    _shift_levels(dict(freed))
    Reservation.objects.filter(pk=reservation.pk).update(
        status=Reservation.Status.RELEASED, closed_at=timezone.now(), release_reason=reason[:40]
    )


def expire_reservations(*, now: datetime | None = None) -> int:
    """Release every held reservation whose time ran out; return how many."""
    now = now or timezone.now()
    expired = Reservation.objects.filter(status=Reservation.Status.ACTIVE, expires_at__lte=now).order_by("pk")
    count = 0
    for reservation in expired:
        release_reservation(reservation=reservation, reason="expired")
        count += 1
    return count


@transaction.atomic
def sell_now(
    *,
    items: Iterable[tuple[int, int]],
    location: Location,
    actor: User | None,
    reference: str,
    allow_shortfall: bool = False,
) -> SaleResult:
    """Take sold goods out of one location at once (a counter sale).

    Without allow_shortfall a missing unit refuses the whole sale (OutOfStock, nothing taken).
    With it (offline sales syncing later) the sale is always recorded: what stock there is leaves,
    and each missing quantity is returned in `shortfalls` and stored for the manager.
    """
    wanted = _quantities(items)
    variants = _variants(wanted)
    unknown = set(wanted) - set(variants)
    if unknown:
        raise InvalidQuantity(sorted(unknown))
    recipes = basket_recipes(variant_ids=wanted)
    involved = set(wanted) | _components(recipes)
    ensure_stock_levels(variant_ids=involved, location_ids=[location.pk])
    levels = {lv.variant_id: lv for lv in lock_stock_levels(variant_ids=involved, location_ids=[location.pk])}
    takes, shortages = _plan(wanted, recipes, {vid: lv.available for vid, lv in levels.items()}, variants)
    if shortages and not allow_shortfall:
        raise OutOfStock(shortages)
    result = SaleResult(shortfalls=shortages)
    for variant_id, take in takes.items():
        StockLevel.objects.filter(pk=levels[variant_id].pk).update(on_hand=F("on_hand") - take)
        result.moves.append(
            StockMove(
                variant_id=variant_id,
                from_location=location,
                quantity=take,
                reason=StockMove.Reason.SALE,
                actor=actor,
                reference=reference,
            )
        )
    StockMove.objects.bulk_create(result.moves)
    StockShortfall.objects.bulk_create(
        StockShortfall(
            variant_id=s.variant_id, location=location, quantity=s.requested - max(s.available, 0), reference=reference
        )
        for s in shortages
    )
    _check_low_stock_after_commit(list(involved))
    return result


@transaction.atomic
def return_to_stock(
    *,
    items: Iterable[tuple[int, int]],
    location: Location,
    actor: User | None,
    reference: str,
    reason: str = StockMove.Reason.RETURN_TO_SHELF,
) -> list[StockMove]:
    """Put goods back on a location (a refund or a voided sale) through the ledger."""
    wanted = _quantities(items)
    ensure_stock_levels(variant_ids=list(wanted), location_ids=[location.pk])
    lock_stock_levels(variant_ids=list(wanted), location_ids=[location.pk])
    moves = []
    for variant_id, quantity in wanted.items():
        StockLevel.objects.filter(variant_id=variant_id, location=location).update(on_hand=F("on_hand") + quantity)
        moves.append(
            StockMove(
                variant_id=variant_id,
                to_location=location,
                quantity=quantity,
                reason=reason,
                actor=actor,
                reference=reference,
            )
        )
    StockMove.objects.bulk_create(moves)
    _check_low_stock_after_commit(list(wanted))
    return moves


@transaction.atomic
def return_sold_reservation(*, reservation_reference: str, actor: User | None, reference: str) -> list[StockMove]:
    """Put back on sale what a paid reservation sold, at each location it was taken from (a refund
    of goods that never left the center)."""
    taken: dict[int, dict[int, int]] = {}  # location -> variant -> units the sale took
    for move in StockMove.objects.filter(reference=reservation_reference, reason=StockMove.Reason.SALE):
        per_variant = taken.setdefault(move.from_location_id, {})
        per_variant[move.variant_id] = per_variant.get(move.variant_id, 0) + move.quantity
    moves: list[StockMove] = []
    for location in Location.objects.filter(pk__in=taken).order_by("pk"):
        moves += return_to_stock(
            items=sorted(taken[location.pk].items()), location=location, actor=actor, reference=reference
        )
    return moves


@transaction.atomic
def transfer_stock(
    *,
    variant: Variant,
    from_location: Location,
    to_location: Location,
    quantity: int,
    actor: User | None,
    note: str = "",
) -> StockMove:
    """Move units from one location to another (one move from → to); only units not held for orders move."""
    _quantities([(variant.pk, quantity)])
    if from_location.pk == to_location.pk:
        raise SameLocation()
    ensure_stock_levels(variant_ids=[variant.pk], location_ids=[from_location.pk, to_location.pk])
    levels = {
        lv.location_id: lv
        for lv in lock_stock_levels(variant_ids=[variant.pk], location_ids=[from_location.pk, to_location.pk])
    }
    source = levels[from_location.pk]
    if source.available < quantity:
        variant = _variants([variant.pk])[variant.pk]
        raise OutOfStock([_shortage(variant, quantity, source.available)])
    StockLevel.objects.filter(pk=source.pk).update(on_hand=F("on_hand") - quantity)
    StockLevel.objects.filter(pk=levels[to_location.pk].pk).update(on_hand=F("on_hand") + quantity)
    return StockMove.objects.create(
        variant=variant,
        from_location=from_location,
        to_location=to_location,
        quantity=quantity,
        reason=StockMove.Reason.TRANSFER,
        actor=actor,
        reference=f"transfer:{from_location.code}-{to_location.code}",
        note=note,
    )


REMOVAL_REASONS = (StockMove.Reason.DAMAGE, StockMove.Reason.RETURN_TO_PRODUCER, StockMove.Reason.ADJUSTMENT)


@transaction.atomic
def remove_stock(
    *,
    variant: Variant,
    location: Location,
    quantity: int,
    actor: User | None,
    reason: str = StockMove.Reason.DAMAGE,
    reference: str = "",
    note: str = "",
) -> StockMove:
    """Take units out of a location that were not sold: damaged, returned to the producer, or a correction."""
    _quantities([(variant.pk, quantity)])
    if reason not in REMOVAL_REASONS:
        raise ValueError(f"not a removal reason: {reason}")
    ensure_stock_levels(variant_ids=[variant.pk], location_ids=[location.pk])
    (level,) = lock_stock_levels(variant_ids=[variant.pk], location_ids=[location.pk])
    if level.available < quantity:
        variant = _variants([variant.pk])[variant.pk]
        raise OutOfStock([_shortage(variant, quantity, level.available)])
    StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") - quantity)
    _check_low_stock_after_commit([variant.pk])
    return StockMove.objects.create(
        variant=variant,
        from_location=location,
        quantity=quantity,
        reason=reason,
        actor=actor,
        reference=reference,
        note=note,
    )


def _check_low_stock_after_commit(variant_ids: list[int]) -> None:
    """Once the stock change is committed, see whether an item crossed its low-stock threshold."""
    from otop.inventory.services.lowstock import check_low_stock

    transaction.on_commit(partial(check_low_stock, variant_ids=tuple(sorted(set(variant_ids)))))
