"""The prices that sales and returns used, kept for producer settlements (the ledger counts units only).

The storefront calls record_sale_lines when an order is paid, the till when a sale is rung up,
and record_return_lines for refunds. Each document (reference) is recorded once: calling again
with the same reference returns what was recorded the first time.

A gift basket is recorded as its components, because they belong to several producers: the
basket's price is split over them in proportion to their shelf prices (split_price), each
component line's amount is its share times the baskets sold, and the shares add up exactly to
the basket's price.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.core.money import ZERO, line_total, parse_amount, to_satang
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.inventory.errors import InvalidCommission, InvalidQuantity
from otop.inventory.models import CommissionRate, Intake, IntakeLine, SoldItem
from otop.inventory.selectors import basket_recipes
from otop.producers.models import Producer

# (variant_id, quantity, unit price incl. VAT), optionally with a 4th value: the coupon discount the
# producer bears on the whole line (recorded beside the amount and taken off on the statement).
SaleLine = tuple[int, int, Decimal] | tuple[int, int, Decimal, Decimal]


def record_sale_lines(
    *, lines: Iterable[SaleLine], reference: str, channel: str, sold_at: datetime | None = None
) -> list[SoldItem]:
    """Record what a paid order or a rung-up sale sold, at which prices. Idempotent by reference."""
    return _record(SoldItem.Kind.SALE, lines=lines, reference=reference, channel=channel, at=sold_at)


def record_return_lines(
    *, lines: Iterable[SaleLine], reference: str, channel: str, returned_at: datetime | None = None
) -> list[SoldItem]:
    """Record goods brought back and the amounts refunded (unit price per unit). Idempotent by reference."""
    return _record(SoldItem.Kind.RETURN, lines=lines, reference=reference, channel=channel, at=returned_at)


def _record(kind: str, *, lines, reference: str, channel: str, at: datetime | None) -> list[SoldItem]:
    if channel not in SoldItem.Channel.values:
        raise ValueError(f"unknown sales channel {channel!r}")
    existing = list(SoldItem.objects.filter(kind=kind, reference=reference).order_by("line_no"))
    if existing:
        return existing
    lines = [
        (int(line[0]), line[1], parse_amount(line[2]), parse_amount(line[3]) if len(line) > 3 else ZERO)
        for line in lines
    ]
    for _variant_id, quantity, price, discount in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidQuantity(quantity)
        if price < 0 or not ZERO <= discount <= line_total(price, quantity):
            raise InvalidQuantity(price)
    if not lines:
        raise InvalidQuantity(0)
    at = at or timezone.now()
    asked = {line[0] for line in lines}
    recipes = basket_recipes(variant_ids=asked)
    wanted_ids = asked | {component_id for recipe in recipes.values() for component_id, _ in recipe}
    variants = {v.pk: v for v in Variant.objects.filter(pk__in=wanted_ids).select_related("product")}
    unknown = sorted(asked - set(variants))
    if unknown:
        raise InvalidQuantity(unknown)
    terms = consignment_terms(variants.values())
    items = []
    for variant_id, quantity, unit_price, amount, discount in _expand_baskets(lines, recipes, variants):
        variant = variants[variant_id]
        percent, producer_price, consigned = terms[variant_id]
        items.append(
            SoldItem(
                kind=kind,
                line_no=len(items) + 1,
                variant=variant,
                producer_id=variant.product.producer_id,
                quantity=quantity,
                unit_price=unit_price,
                amount=amount,
                commission_percent=percent,
                producer_unit_price=producer_price,
                consigned=consigned,
                producer_discount=discount,
                sold_at=at,
                reference=reference,
                channel=channel,
            )
        )
    try:
        with transaction.atomic():
            SoldItem.objects.bulk_create(items)
    except IntegrityError:
        # The same document was recorded at the same moment by another request: return that one.
        recorded = list(SoldItem.objects.filter(kind=kind, reference=reference).order_by("line_no"))
        if not recorded:
            raise
        return recorded
    return items


def split_price(price: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split a price (to the satang) into parts in proportion to the weights; the parts add up exactly.

    Each part is rounded with core.money.to_satang at its running total, so the last part takes the
    rounding remainder and no part is ever negative (rounding each part on its own and putting the
    remainder on the last one can push the last part below zero for very small prices).
    Weights that are all zero split evenly.
    """
    if not weights:
        return []
    total = sum(weights, Decimal(0))
    if total <= 0:
        weights, total = [Decimal(1)] * len(weights), Decimal(len(weights))
    parts = []
    done = ZERO
    running = Decimal(0)
    for number, weight in enumerate(weights, start=1):
        running += weight
        upto = price if number == len(weights) else to_satang(price * running / total)
        parts.append(upto - done)
        done = upto
    return parts


def _expand_baskets(lines, recipes, variants) -> list[tuple[int, int, Decimal, Decimal, Decimal]]:
    """(variant id, quantity, unit price, amount, producer discount) per line, a gift basket replaced by
    its components.

    A basket's unit price is split over one basket's components by their shelf prices (times the
    quantity per basket); a component's amount is its share times the baskets sold, its unit price
    the share per unit to the satang (the amount is what settlements add up). A basket line's discount
    is split over its components in proportion to their amounts (the parts add up exactly).
    """
    expanded = []
    for variant_id, quantity, price, discount in lines:
        recipe = recipes.get(variant_id)
        if not recipe:
            expanded.append((variant_id, quantity, price, line_total(price, quantity), discount))
            continue
        shares = split_price(price, [variants[component_id].price * per_basket for component_id, per_basket in recipe])
        amounts = [share * quantity for share in shares]
        discounts = split_price(discount, amounts)
        for (component_id, per_basket), share, amount, part in zip(recipe, shares, amounts, discounts, strict=True):
            units = quantity * per_basket
            expanded.append((component_id, units, to_satang(share / per_basket), amount, part))
    return expanded


@transaction.atomic
def set_product_commission(*, product, percent: Decimal | None, actor: User | None) -> CommissionRate | None:
    """Give one product its own commission (0–100 %), or remove it (None) so its producer's or the
    center's default applies again. Sales already recorded keep the rate they were sold at."""

    previous = CommissionRate.objects.filter(product=product).values_list("percent", flat=True).first()
    if percent is None:
        CommissionRate.objects.filter(product=product).delete()
        rate = None
    else:
        percent = parse_amount(percent)
        if not Decimal("0") <= percent <= Decimal("100"):
            raise InvalidCommission(percent)
        rate, _created = CommissionRate.objects.update_or_create(product=product, defaults={"percent": percent})
    record_audit_event(
        actor=actor,
        action="inventory.commission_set",
        target=product,
        summary=f"{product.sku}: {'-' if previous is None else previous} -> {'-' if percent is None else percent}",
    )
    return rate


def commission_percent_for(variant: Variant) -> Decimal:
    return consignment_terms([variant])[variant.pk][0]


def consignment_terms(variants: Iterable[Variant]) -> dict[int, tuple[Decimal, Decimal | None, bool]]:
    """Per variant: (commission %, producer's unit price or None, on consignment?).

    The latest intake of the item decides: an outright purchase is not paid out again; a consignment
    line may carry the producer's price or its own commission. Otherwise the product's rate, then the
    producer's, then the center's default.
    """
    variants = list(variants)
    latest: dict[int, IntakeLine] = {}
    for line in (
        IntakeLine.objects.filter(variant_id__in=[v.pk for v in variants])
        .select_related("intake")
        .order_by("variant_id", "-intake__received_at", "-id")
    ):
        latest.setdefault(line.variant_id, line)
    product_rates = dict(
        CommissionRate.objects.filter(product_id__in={v.product_id for v in variants}).values_list(
            "product_id", "percent"
        )
    )

    producer_rates = dict(
        Producer.objects.filter(pk__in={v.product.producer_id for v in variants}).values_list(
            "pk", "commission_percent"
        )
    )
    default = center_profile().default_commission_percent
    terms = {}
    for variant in variants:
        percent = product_rates.get(variant.product_id)
        if percent is None:
            percent = producer_rates.get(variant.product.producer_id)
        if percent is None:
            percent = default
        line = latest.get(variant.pk)
        producer_price = None
        consigned = True
        if line is not None:
            if line.intake.kind == Intake.Kind.PURCHASE:
                consigned = False
            elif line.producer_price is not None:
                producer_price = line.producer_price
            elif line.commission_percent is not None:
                percent = line.commission_percent
        terms[variant.pk] = (Decimal(percent), producer_price, consigned)
    return terms
