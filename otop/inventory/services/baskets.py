"""Gift baskets made up in advance, and taken apart again.

Assembling moves the components out of a location and the basket into it (BASKET_ASSEMBLY moves,
one document); taking apart is the reverse. Both lock every level involved in primary-key order
and check under the lock, like every other stock write.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.inventory.errors import NotABasket, OutOfStock
from otop.inventory.locks import ensure_stock_levels, lock_stock_levels
from otop.inventory.models import Location, StockLevel, StockMove
from otop.inventory.selectors import basket_recipes
from otop.inventory.services.stock import _check_low_stock_after_commit, _quantities, _shortage, _variants


def _recipe(variant: Variant) -> list[tuple[int, int]]:
    recipe = basket_recipes(variant_ids=[variant.pk]).get(variant.pk)
    if not recipe:
        raise NotABasket(variant.sku)
    return recipe


def _document(kind: str, variant: Variant) -> str:
    return f"{kind}:{variant.sku}:{timezone.localtime():%Y%m%d%H%M%S}"[:80]


@transaction.atomic
def assemble_baskets(
    *, variant: Variant, location: Location, quantity: int, actor: User | None, note: str = ""
) -> list[StockMove]:
    """Make up `quantity` baskets at a location from components kept there (free units only).

    Raises OutOfStock naming every component that is short; nothing moves then.
    """
    _quantities([(variant.pk, quantity)])
    recipe = _recipe(variant)
    involved = {variant.pk} | {component_id for component_id, _ in recipe}
    ensure_stock_levels(variant_ids=involved, location_ids=[location.pk])
    levels = {lv.variant_id: lv for lv in lock_stock_levels(variant_ids=involved, location_ids=[location.pk])}
    variants = _variants(involved)
    shortages = [
        _shortage(variants[component_id], quantity * per_basket, levels[component_id].available)
        for component_id, per_basket in recipe
        if levels[component_id].available < quantity * per_basket
    ]
    if shortages:
        raise OutOfStock(shortages)
    reference = _document("assembly", variant)
    moves = []
    for component_id, per_basket in recipe:
        StockLevel.objects.filter(pk=levels[component_id].pk).update(on_hand=F("on_hand") - quantity * per_basket)
        moves.append(
            StockMove(
                variant_id=component_id,
                from_location=location,
                quantity=quantity * per_basket,
                reason=StockMove.Reason.BASKET_ASSEMBLY,
                actor=actor,
                reference=reference,
                note=note,
            )
        )
    StockLevel.objects.filter(pk=levels[variant.pk].pk).update(on_hand=F("on_hand") + quantity)
    moves.append(
        StockMove(
            variant_id=variant.pk,
            to_location=location,
            quantity=quantity,
            reason=StockMove.Reason.BASKET_ASSEMBLY,
            actor=actor,
            reference=reference,
            note=note,
        )
    )
    StockMove.objects.bulk_create(moves)
    _check_low_stock_after_commit(list(involved))
    return moves


@transaction.atomic
def take_apart_baskets(
    *, variant: Variant, location: Location, quantity: int, actor: User | None, note: str = ""
) -> list[StockMove]:
    """Take `quantity` assembled baskets apart: the basket leaves the location, its components come back.

    Raises OutOfStock naming the basket when fewer free assembled baskets are there; nothing moves then.
    """
    _quantities([(variant.pk, quantity)])
    recipe = _recipe(variant)
    involved = {variant.pk} | {component_id for component_id, _ in recipe}
    ensure_stock_levels(variant_ids=involved, location_ids=[location.pk])
    levels = {lv.variant_id: lv for lv in lock_stock_levels(variant_ids=involved, location_ids=[location.pk])}
    basket = levels[variant.pk]
    if basket.available < quantity:
        raise OutOfStock([_shortage(_variants([variant.pk])[variant.pk], quantity, basket.available)])
    reference = _document("take-apart", variant)
    StockLevel.objects.filter(pk=basket.pk).update(on_hand=F("on_hand") - quantity)
    moves = [
        StockMove(
            variant_id=variant.pk,
            from_location=location,
            quantity=quantity,
            reason=StockMove.Reason.BASKET_ASSEMBLY,
            actor=actor,
            reference=reference,
            note=note,
        )
    ]
    for component_id, per_basket in recipe:
        StockLevel.objects.filter(pk=levels[component_id].pk).update(on_hand=F("on_hand") + quantity * per_basket)
        moves.append(
            StockMove(
                variant_id=component_id,
                to_location=location,
                quantity=quantity * per_basket,
                reason=StockMove.Reason.BASKET_ASSEMBLY,
                actor=actor,
                reference=reference,
                note=note,
            )
        )
    StockMove.objects.bulk_create(moves)
    _check_low_stock_after_commit(list(involved))
    return moves
