"""Reads for the public pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from otop.catalog.models import Category, Product
from otop.catalog.selectors import attach_card_photos, categories_with_listed_counts
from otop.core.collation import order_by_name
from otop.core.models import OpeningException
from otop.core.selectors import OpeningHours, center_profile, opening_hours_on, upcoming_opening_exceptions
from otop.geo.models import District
from otop.search.models import ListingEntry

PAGE_SIZE = 24
SORTS = {
    "name": ("sort_name", "product_id"),
    "price": ("min_price", "product_id"),
    "-price": ("-min_price", "product_id"),
    "stars": ("-stars", "product_id"),
    "new": ("-product_id",),
}


@dataclass(frozen=True)
class HomePage:
    categories: list[Category]
    districts: list[District]
    featured: list[Product]
    today: OpeningHours | None
    exceptions: list[OpeningException]


def _with_prices(queryset):
    return queryset.select_related("category", "producer__district").annotate(
        min_price=Min("variants__price", filter=Q(variants__is_active=True)),
        default_variant_id=Min("variants__pk", filter=Q(variants__is_active=True, variants__is_default=True)),
    )


def featured_products(*, limit: int = 8) -> list[Product]:
    """The newest listed products of the highest star level."""
    ids = list(
        ListingEntry.objects.filter(is_listed=True)
        .order_by("-stars", "-product_id")
        .values_list("product_id", flat=True)[:limit]
    )
    found = {p.pk: p for p in _with_prices(Product.objects.filter(pk__in=ids))}
    featured = [found[pk] for pk in ids if pk in found]
    attach_card_photos(featured)
    return featured


def districts_with_products() -> list[District]:
    """The center's province's districts, with how many listed products come from each."""
    province = center_profile().province_id
    districts = District.objects.filter(province_id=province).annotate(
        listed_count=Count("producers__products", filter=Q(producers__products__status="listed"))
    )
    return list(order_by_name(districts))


HOME_CACHE_SECONDS = 30


def home_page() -> HomePage:
    """The home page's data, cached for half a minute (counts and featured products may lag that much), per
    language: lists are in the reader's order (Thai dictionary order, or English order by English name)."""
    today = timezone.localdate()
    key = f"storefront:home:{get_language() or 'th'}:{today.isoformat()}"
    page = cache.get(key)
    if page is None:
        page = _home_page(today)
        cache.set(key, page, HOME_CACHE_SECONDS)
    return page


def _home_page(today) -> HomePage:
    return HomePage(
        categories=list(categories_with_listed_counts()),
        districts=districts_with_products(),
        featured=featured_products(),
        today=opening_hours_on(today),
        exceptions=upcoming_opening_exceptions(today=today),
    )


@dataclass(frozen=True)
class ListingFilters:
    category: str = ""
    district: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_stars: int | None = None
    sort: str = "name"


def product_listing(*, filters: ListingFilters, page: int = 1) -> tuple[Page, list[Product]]:
    """One page of listed products, filtered and sorted on the narrow listing entries' indexed columns."""
    documents = ListingEntry.objects.filter(is_listed=True)
    if filters.category:
        documents = documents.filter(category_code=filters.category)
    if filters.district:
        documents = documents.filter(district_code=filters.district)
    if filters.min_price is not None:
        documents = documents.filter(min_price__gte=filters.min_price)
    if filters.max_price is not None:
        documents = documents.filter(min_price__lte=filters.max_price)
    if filters.min_stars:
        documents = documents.filter(stars__gte=filters.min_stars)
    ordering = SORTS.get(filters.sort, SORTS["name"])
    if ordering == SORTS["name"] and get_language() == "en":
        ordering = ("sort_name_en", "product_id")
    documents = documents.order_by(*ordering).values_list("product_id", flat=True)
    paginator = Paginator(documents, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    ids = list(page_obj.object_list)
    found = {p.pk: p for p in _with_prices(Product.objects.filter(pk__in=ids))}
    products = [found[pk] for pk in ids if pk in found]
    attach_card_photos(products)
    return page_obj, products


def sitemap_codes() -> list[tuple[str, object]]:
    return list(
        Product.objects.filter(status=Product.Status.LISTED).order_by("pk").values_list("code", "updated_at")[:50000]
    )
