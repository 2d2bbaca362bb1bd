"""What a parcel weighs: the goods (a variant's weight, else its product's; a gift basket its own
weight or the sum of its parts) plus the box they fit in."""

from __future__ import annotations

from dataclasses import dataclass

from otop.catalog.models import BasketComponent, Variant
from otop.core.i18n import localized
from otop.shipping.errors import MissingParcelFacts
from otop.shipping.models import BoxSize


@dataclass(frozen=True)
class Parcel:
    content_grams: int
    box: BoxSize | None

    @property
    def weight_grams(self) -> int:
        return self.content_grams + (self.box.packaging_grams if self.box else 0)


def _own_weight(variant: Variant) -> int | None:
    return variant.weight_grams or variant.product.weight_grams or None


def _volume_cm3(variant: Variant) -> int:
    product = variant.product
    if product.length_mm and product.width_mm and product.height_mm:
        return max(1, product.length_mm * product.width_mm * product.height_mm // 1000)
    return 0


def unit_weights(variants: list[Variant]) -> tuple[dict[int, int], list[str]]:
    """Each variant's weight in grams, and the names of those whose weight is not known."""
    weights: dict[int, int] = {}
    missing: list[str] = []
    baskets = [v for v in variants if v.product.is_basket and _own_weight(v) is None]
    parts: dict[int, list[BasketComponent]] = {}
    if baskets:
        for component in BasketComponent.objects.filter(basket__in=[v.product_id for v in baskets]).select_related(
            "variant__product"
        ):
            parts.setdefault(component.basket_id, []).append(component)
    for variant in variants:
        own = _own_weight(variant)
        if own is None and variant.product.is_basket and parts.get(variant.product_id):
            component_weights = [_own_weight(c.variant) for c in parts[variant.product_id]]
            if all(component_weights):
                own = sum(w * c.quantity for w, c in zip(component_weights, parts[variant.product_id], strict=True))
        if own is None:
            missing.append(localized(variant.product, "name"))
        else:
            weights[variant.pk] = own
    return weights, missing


def choose_box(*, content_grams: int, volume_cm3: int, boxes: list[BoxSize]) -> BoxSize | None:
    """The smallest box that holds the goods' volume and weight; the largest when none is big enough."""
    fitting = [b for b in boxes if b.volume_cm3 >= volume_cm3 and b.max_content_grams >= content_grams]
    if fitting:
        return min(fitting, key=lambda b: (b.volume_cm3, b.packaging_grams))
    return max(boxes, key=lambda b: b.volume_cm3) if boxes else None


def parcel_for(items: list[tuple[Variant, int]], *, boxes: list[BoxSize] | None = None) -> Parcel:
    """Weigh the goods and pick their box; raises MissingParcelFacts (never guesses) when a weight is missing."""
    weights, missing = unit_weights([variant for variant, _quantity in items])
    if missing:
        raise MissingParcelFacts(missing)
    content = sum(weights[variant.pk] * quantity for variant, quantity in items)
    volume = sum(_volume_cm3(variant) * quantity for variant, quantity in items)
    boxes = list(BoxSize.objects.all()) if boxes is None else boxes
    return Parcel(content_grams=content, box=choose_box(content_grams=content, volume_cm3=volume, boxes=boxes))
