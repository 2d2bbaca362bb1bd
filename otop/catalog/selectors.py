"""Reads of the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects

from otop.catalog.models import BasketComponent, Category, Product, ProductPhoto, QrScanDay, Variant
from otop.core.collation import order_by_name
from otop.producers.models import Producer


def categories() -> QuerySet[Category]:
    return order_by_name(Category.objects.all())


def categories_with_listed_counts() -> QuerySet[Category]:
    return categories().annotate(listed_count=Count("products", filter=Q(products__status=Product.Status.LISTED)))


def category_by_code_or_name(value: str) -> Category | None:
    value = (value or "").strip()
    return Category.objects.filter(Q(code=value) | Q(name_th=value) | Q(name_en__iexact=value)).first()


def listed_products() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.LISTED).select_related(
        "category", "producer", "producer__district"
    )


def listed_products_of(producer: Producer) -> QuerySet[Product]:
    products = (
        Product.objects.filter(producer=producer, status=Product.Status.LISTED)
        .select_related("category")
        .prefetch_related(
            "variants",
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("sort_order", "id"), to_attr="photo_list"),
        )
    )
    return order_by_name(products)


def sellable_variants() -> QuerySet[Variant]:
    """The variants on sale: active, of a listed product (what the till, the cart and orders may sell)."""
    return Variant.objects.filter(is_active=True, product__status=Product.Status.LISTED)


def _active_variants() -> Prefetch:
    return Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("sort_order", "id"))


STORY_PRODUCT_SECONDS = 60


def product_for_story(*, code: str, include_unlisted: bool = False) -> Product | None:
    """Return the product behind a QR code with what its page always needs (variants), or None.

    One small query reads the status and `updated_at`; the product with its producer, places and
    variants comes from the cache under that version (every catalog service touches `updated_at`).
    """
    row = next(iter(Product.objects.filter(code=code).order_by().values_list("pk", "status", "updated_at")), None)
    if row is None or (row[1] != Product.Status.LISTED and not include_unlisted):
        return None
    key = f"catalog:story-product:{row[0]}:{row[2].timestamp()}"
    product = cache.get(key)
    if product is None:
        product = (
            Product.objects.select_related("category", "producer", "producer__district", "producer__province")
            .prefetch_related(_active_variants())
            .filter(pk=row[0])
            .first()
        )
        if product is None:
            return None
        cache.set(key, product, STORY_PRODUCT_SECONDS)
    return product


def photos_of(product: Product) -> QuerySet[ProductPhoto]:
    return ProductPhoto.objects.filter(product=product).order_by("sort_order", "id")


def attach_card_photos(products: Iterable[Product]) -> None:
    """Load every product's photos (first first) into `photo_list` in one query, for cards."""
    prefetch_related_objects(
        [product for product in products if not hasattr(product, "photo_list")],
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("sort_order", "id"), to_attr="photo_list"),
    )


def components_of(basket: Product) -> QuerySet[BasketComponent]:
    return BasketComponent.objects.filter(basket=basket).select_related("variant__product__producer__district")


def _with_default_price(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.select_related("category", "producer__district").prefetch_related(
        Prefetch("variants", queryset=Variant.objects.filter(is_default=True), to_attr="default_variants"),
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("sort_order", "id"), to_attr="photo_list"),
    )


def more_from_producer(product: Product, *, limit: int = 4) -> QuerySet[Product]:
    others = Product.objects.filter(status=Product.Status.LISTED, producer_id=product.producer_id).exclude(
        pk=product.pk
    )
    return _with_default_price(order_by_name(others)[:limit])


def more_from_district(product: Product, *, limit: int = 4) -> QuerySet[Product]:
    neighbours = Product.objects.filter(
        status=Product.Status.LISTED, producer__district_id=product.producer.district_id
    ).exclude(producer_id=product.producer_id)
    return _with_default_price(order_by_name(neighbours)[:limit])


# --- back office ------------------------------------------------------------------------------


def products_for_backoffice(
    *, query: str = "", category: str = "", status: str = "", baskets_only: bool = False
) -> QuerySet[Product]:
    """The back-office catalogue: products in the reader's name order (Thai dictionary order on a Thai page)."""
    products = Product.objects.select_related("category", "producer", "producer__district")
    if query:
        products = products.filter(
            Q(sku__icontains=query) | Q(name_th__icontains=query) | Q(name_en__icontains=query)
            | Q(variants__barcode=query)
        ).distinct()  # fmt: skip
    if category:
        products = products.filter(category__code=category)
    if status:
        products = products.filter(status=status)
    if baskets_only:
        products = products.filter(is_basket=True)
    return _with_default_price(order_by_name(products))


def variants_for_labels(
    *, skus: Iterable[str] = (), category: str = "", product_ids: Iterable[int] = ()
) -> list[Variant]:
    """Return the active variants to label, in SKU order, with their product for the text."""
    variants = Variant.objects.filter(is_active=True).select_related("product")
    selection = Q(pk__in=[])
    skus = [sku.strip() for sku in skus if sku.strip()]
    if skus:
        selection |= Q(sku__in=skus) | Q(product__sku__in=skus) | Q(barcode__in=skus)
    if category:
        selection |= Q(product__category__code=category, product__status=Product.Status.LISTED)
    product_ids = list(product_ids)
    if product_ids:
        selection |= Q(product_id__in=product_ids)
    return list(variants.filter(selection).order_by("sku"))


def qr_scans_by_product(*, since, until) -> QuerySet:
    """Return rows {product_id, product__sku, product__name_th, scans} for days in [since, until)."""
    return (
        QrScanDay.objects.filter(day__gte=since, day__lt=until)
        .values("product_id", "product__sku", "product__name_th")
        .annotate(scans=Sum("count"))
        .order_by("-scans", "product__sku")
    )


@dataclass(frozen=True)
class PriceRange:
    low: Decimal | None
    high: Decimal | None


def api_products(
    *,
    category: str = "",
    district: str = "",
    producer: int | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    status: str = Product.Status.LISTED,
) -> QuerySet[Product]:
    """Products for the API list, with everything the response shows fetched in a fixed number of queries.

    A text query goes through the Thai-aware search (otop.search), in the API view."""
    products = Product.objects.select_related(
        "category", "producer", "producer__district", "producer__province"
    ).prefetch_related(
        _active_variants(),
        Prefetch("photos", queryset=ProductPhoto.objects.order_by("sort_order", "id"), to_attr="photo_list"),
    )
    if status:
        products = products.filter(status=status)
    if category:
        products = products.filter(category__code=category)
    if district:
        products = products.filter(producer__district_id=district)
    if producer is not None:
        products = products.filter(producer_id=producer)
    if min_price is not None:
        products = products.filter(variants__is_default=True, variants__price__gte=min_price)
    if max_price is not None:
        products = products.filter(variants__is_default=True, variants__price__lte=max_price)
    return products.order_by("sku")
