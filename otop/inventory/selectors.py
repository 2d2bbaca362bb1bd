"""Reads of stock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Sum

from otop.catalog.models import BasketComponent, Product, Variant
from otop.core.collation import ThaiSortKey
from otop.inventory.models import Location, Reservation, StockLevel
from otop.producers.models import BankAccount, Producer


def location(code: str) -> Location:
    """Return a stock location by code (cached: locations are set up once)."""
    key = f"inventory:location:{code}"
    found = cache.get(key)
    if found is None:
        found = Location.objects.get(code=code)
        cache.set(key, found, 300)
    return found


def reservation_for(reference: str) -> Reservation | None:
    """The reservation held under this reference (an order's), or None."""
    return Reservation.objects.filter(reference=reference).first()


def online_locations() -> list[Location]:
    return list(Location.objects.filter(sells_online=True).order_by("reserve_priority", "pk"))


def basket_recipes(*, variant_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """The gift baskets among these variants: basket variant id -> [(component variant id, quantity per basket)].

    Every variant of a basket product is made of the product's components. A variant that is not
    a basket, or a basket without components, is left out (it sells from its own stock only).
    """

    variant_ids = list(variant_ids)
    if not variant_ids:
        return {}
    recipes: dict[int, list[tuple[int, int]]] = {}
    for basket_variant_id, component_id, quantity in (
        BasketComponent.objects.filter(basket__is_basket=True, basket__variants__id__in=variant_ids)
        .values_list("basket__variants__id", "variant_id", "quantity")
        .order_by("basket__variants__id", "id")
    ):
        recipes.setdefault(basket_variant_id, []).append((component_id, quantity))
    return recipes


def buildable(free: dict[int, int], recipe: list[tuple[int, int]]) -> int:
    """How many baskets the free component units make: the minimum of floor(free / quantity per basket)."""
    return min(max(free.get(component_id, 0), 0) // quantity for component_id, quantity in recipe)


@dataclass(frozen=True)
class FreeUnits:
    """Free units (on hand minus reserved) of some variants per location, and the recipes of the baskets among them.

    Read once with `free_units`, asked for several sets of locations (the shop floor, the online
    locations) without going back to the database.
    """

    variant_ids: tuple[int, ...]
    # variant id -> [(location code, sells online, free units)]
    levels: dict[int, list[tuple[str, bool, int]]]
    recipes: dict[int, list[tuple[int, int]]]

    def available(self, location_codes: Iterable[str] | None = None) -> dict[int, int]:
        """Units that can be sold per variant over these locations (None: the locations that sell online)."""
        codes = None if location_codes is None else set(location_codes)
        free = {
            variant_id: sum(
                units for code, sells_online, units in rows if (sells_online if codes is None else code in codes)
            )
            for variant_id, rows in self.levels.items()
        }
        return {
            variant_id: free.get(variant_id, 0)
            + (buildable(free, self.recipes[variant_id]) if variant_id in self.recipes else 0)
            for variant_id in self.variant_ids
        }


def _free_units_sql(count: int) -> str:
    """The free units of `count` variants and of the components of the baskets among them, per location,
    and (after UNION ALL) those baskets' recipes: kind, variant, sells online or component, units or
    quantity, location code.

    Written out rather than built with the ORM: the story page and the cart ask this on every
    request, and building the same union through the ORM cost three times what the database did.
    """

    table = connection.ops.quote_name
    ids = ", ".join(["%s"] * count)
    return f"""
        WITH recipe AS (
            SELECT v.id AS basket_variant_id, c.variant_id AS component_id, c.quantity AS quantity
            FROM {table(BasketComponent._meta.db_table)} c
            JOIN {table(Product._meta.db_table)} p ON p.id = c.basket_id
            JOIN {table(Variant._meta.db_table)} v ON v.product_id = p.id
            WHERE p.is_basket AND v.id IN ({ids})
        )
        SELECT 0, s.variant_id, CASE WHEN l.sells_online THEN 1 ELSE 0 END, s.on_hand - s.reserved, l.code
        FROM {table(StockLevel._meta.db_table)} s
        JOIN {table(Location._meta.db_table)} l ON l.id = s.location_id
        WHERE s.variant_id IN ({ids}) OR s.variant_id IN (SELECT component_id FROM recipe)
        UNION ALL
        SELECT 1, basket_variant_id, component_id, quantity, '' FROM recipe
    """


def free_units(*, variant_ids: Iterable[int]) -> FreeUnits:
    """Read the free units of these variants (and what their baskets are made of) in one query."""
    variant_ids = tuple(dict.fromkeys(int(variant_id) for variant_id in variant_ids))
    levels: dict[int, list[tuple[str, bool, int]]] = {}
    recipes: dict[int, list[tuple[int, int]]] = {}
    if not variant_ids:
        return FreeUnits(variant_ids, levels, recipes)
    with connection.cursor() as cursor:
        cursor.execute(_free_units_sql(len(variant_ids)), variant_ids + variant_ids)
        rows = cursor.fetchall()
    for kind, variant_id, first, second, code in rows:
        if kind == 0:
            levels.setdefault(variant_id, []).append((code, bool(first), int(second)))
        else:
            recipes.setdefault(variant_id, []).append((first, second))
    return FreeUnits(variant_ids, levels, recipes)


def available_quantities(*, variant_ids: Iterable[int], location_codes: Iterable[str] | None = None) -> dict[int, int]:
    """Units that can still be sold (on hand minus reserved), per variant, over some locations.

    Without location_codes: the locations web and LINE orders sell from. A gift basket can be
    sold from its assembled stock plus as many as its components make (the same locations).
    """
    return free_units(variant_ids=variant_ids).available(location_codes)


def on_hand(*, variant_id: int, location_code: str) -> int:
    level = StockLevel.objects.filter(variant_id=variant_id, location__code=location_code).first()
    return level.on_hand if level else 0


def stock_levels(*, query: str = "", location_code: str = "", producer=None):
    """Stock levels with their item, product and location, for lists (only rows that hold or held stock)."""

    levels = StockLevel.objects.select_related("variant__product__producer", "location").exclude(on_hand=0, reserved=0)
    if query:
        levels = levels.filter(
            Q(variant__sku__icontains=query)
            | Q(variant__barcode=query)
            | Q(variant__product__name_th__icontains=query)
            | Q(variant__product__name_en__icontains=query)
        )
    if location_code:
        levels = levels.filter(location__code=location_code)
    if producer is not None:
        levels = levels.filter(variant__product__producer=producer)
    return levels.order_by(ThaiSortKey("variant__product__name_th"), "variant__sku", "location__reserve_priority")


def recent_moves(*, query: str = "", limit: int = 200):
    from otop.inventory.models import StockMove

    moves = StockMove.objects.select_related("variant__product", "from_location", "to_location", "actor")
    if query:
        moves = moves.filter(Q(variant__sku__iexact=query) | Q(reference__icontains=query))
    return moves.order_by("-created_at", "-id")[:limit]


def low_stock_items():
    """Items at or below their threshold, with their stock over all locations (lowest first)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from otop.inventory.models import LowStockThreshold

    total = (
        StockLevel.objects.filter(variant_id=OuterRef("variant_id"))
        .values("variant_id")
        .annotate(total=Sum("on_hand"))
        .values("total")
    )
    return (
        LowStockThreshold.objects.select_related("variant__product__producer")
        .annotate(on_hand=Coalesce(Subquery(total), 0))
        .filter(on_hand__lte=F("minimum"))
        .order_by("on_hand", "variant__sku")
    )


def low_stock_count() -> int:
    """How many items are at or below their threshold (one query): the length of the low-stock page's list."""
    return low_stock_items().order_by().count()


def producer_stock(*, producer) -> list[dict]:
    """A producer's items at the center: on hand and held, summed over the locations."""
    rows = (
        StockLevel.objects.filter(variant__product__producer=producer)
        .values("variant_id", "variant__sku", "variant__product__name_th", "variant__name_th")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
        .order_by(ThaiSortKey("variant__product__name_th"), "variant__sku")
    )
    return [
        {
            "variant_id": row["variant_id"],
            "sku": row["variant__sku"],
            "name": " ".join(p for p in (row["variant__product__name_th"], row["variant__name_th"]) if p),
            "on_hand": row["on_hand"],
            "available": row["on_hand"] - row["reserved"],
        }
        for row in rows
    ]


def unpaid_settlements():
    from otop.inventory.models import Settlement

    return (
        Settlement.objects.filter(status=Settlement.Status.OPEN, net_payable__gt=0)
        .select_related("producer")
        .order_by(ThaiSortKey("producer__name_th"), "period_start")
    )


def product_by_code(code: str):
    """The product with this SKU, or the product of the item with this SKU or barcode (UnknownBarcode if none)."""
    from otop.inventory.services.stocktakes import find_variant

    product = Product.objects.filter(sku__iexact=code.strip()).select_related("producer").first()
    return product if product is not None else find_variant(code).product


def product_commissions():
    """The products with a commission of their own, with their producer's rate beside it."""
    from otop.inventory.models import CommissionRate

    return CommissionRate.objects.select_related("product__producer").order_by(
        ThaiSortKey("product__name_th"), "product__sku"
    )


def unpaid_producers_without_account() -> list:
    """Producers owed money (an unpaid settlement) who have no confirmed bank account to pay it into."""

    return list(
        Producer.objects.filter(settlements__in=unpaid_settlements())
        .exclude(bank_accounts__status=BankAccount.Status.CONFIRMED)
        .distinct()
        .order_by(ThaiSortKey("name_th"), "pk")
    )


def basket_overview() -> tuple[list[Location], list[dict]]:
    """Every gift basket with components: its components, and per location how many are assembled
    and how many more the free components there would make (a few queries, whatever the count)."""

    locations = list(Location.objects.order_by("reserve_priority", "code"))
    baskets = list(
        Variant.objects.filter(product__is_basket=True, product__components__isnull=False)
        .distinct()
        .select_related("product")
        .order_by(ThaiSortKey("product__name_th"), "sku")
    )
    recipes = basket_recipes(variant_ids=[b.pk for b in baskets])
    component_ids = {component_id for recipe in recipes.values() for component_id, _ in recipe}
    components = Variant.objects.filter(pk__in=component_ids).select_related("product").in_bulk()
    free: dict[int, dict[int, int]] = {loc.pk: {} for loc in locations}
    on_hand: dict[tuple[int, int], int] = {}
    for variant_id, location_id, held, reserved in StockLevel.objects.filter(
        variant_id__in=component_ids | set(recipes)
    ).values_list("variant_id", "location_id", "on_hand", "reserved"):
        free[location_id][variant_id] = held - reserved
        on_hand[(variant_id, location_id)] = held
    rows = []
    for basket in baskets:
        recipe = recipes[basket.pk]
        rows.append(
            {
                "variant": basket,
                "components": [(components[component_id], quantity) for component_id, quantity in recipe],
                "per_location": [
                    {
                        "location": loc,
                        "assembled": on_hand.get((basket.pk, loc.pk), 0),
                        "can_make": buildable(free[loc.pk], recipe),
                    }
                    for loc in locations
                ],
            }
        )
    return locations, rows


def availability_by_product(products: Iterable[Product]) -> dict[int, dict]:
    """Return per product {"in_store": n, "online": n, "variants": {id: {"in_store": n, "online": n}}}.

    In-store is the shop floor; online is what web and LINE orders may still take. One query for
    all the products (their variants must be prefetched); counts are None for a product without
    active variants.
    """
    products = list(products)
    variants_of = {
        product.pk: [variant for variant in product.variants.all() if variant.is_active] for product in products
    }
    ids = [variant.pk for variants in variants_of.values() for variant in variants]
    in_store: dict[int, int] = {}
    online: dict[int, int] = {}
    if ids:
        free = free_units(variant_ids=ids)
        in_store = free.available(["shop"])
        online = free.available()
    result = {}
    for product in products:
        per_variant = {
            variant.pk: {"in_store": in_store.get(variant.pk), "online": online.get(variant.pk)}
            for variant in variants_of[product.pk]
        }
        known = [row for row in per_variant.values() if row["in_store"] is not None]
        result[product.pk] = {
            "in_store": sum(row["in_store"] for row in known) if known else None,
            "online": sum(row["online"] for row in known) if known else None,
            "variants": per_variant,
        }
    return result


def product_availability(product: Product) -> dict:
    """availability_by_product for one product."""
    return availability_by_product([product])[product.pk]
