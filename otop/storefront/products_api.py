"""The product list and detail of the API (`GET /api/v1/products[/{sku}]`): catalogue data, stock
availability and, for a text query, the Thai-aware search's order."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from otop.catalog import selectors
from otop.catalog.models import Product
from otop.catalog.services import sanitize_story
from otop.core.apitypes import Id, Limit, Money, Offset, Text, errors
from otop.core.i18n import localized
from otop.inventory.selectors import availability_by_product, product_availability
from otop.search.selectors import SearchFilters, ranked_product_ids

router = Router(tags=["catalog"])


class NamedOut(Schema):
    code: str
    name: str


class ProductProducerOut(Schema):
    id: int
    name: str


class ImageOut(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int


class VariantOut(Schema):
    id: int
    sku: str
    barcode: str | None
    name: str
    price: Decimal
    is_default: bool


class ProductAvailabilityOut(Schema):
    in_store: int | None
    online: int | None


class ProductOut(Schema):
    sku: str
    code: str
    name: str
    name_th: str
    name_en: str
    description: str
    category: NamedOut
    producer: ProductProducerOut
    district: NamedOut
    province: NamedOut
    price: Decimal
    otop_stars: int | None
    is_basket: bool
    status: str
    images: list[ImageOut]
    variants: list[VariantOut]
    story_url: str
    qr_url: str
    availability: ProductAvailabilityOut


class ProductDetailOut(ProductOut):
    story: str
    story_th: str
    story_en: str
    weight_grams: int | None
    certifications: dict[str, str | bool]


class ProductPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProductOut]


class ProductFilters(Schema):
    category: Text(30) = ""
    district: Text(4, pattern=r"^$|^[0-9]{4}$") = ""
    producer: Id | None = None
    min_price: Money | None = None
    max_price: Money | None = None
    status: Literal["", "draft", "under_review", "listed", "delisted"] = Product.Status.LISTED
    q: Text(200) = ""
    limit: Limit(100) = 20
    offset: Offset = 0


def _product_out(request: HttpRequest, product: Product, availability: dict, *, detail: bool = False) -> dict:
    variants = list(product.variants.all())
    default = next((variant for variant in variants if variant.is_default), variants[0] if variants else None)
    producer = product.producer
    photos = getattr(product, "photo_list", None)
    if photos is None:
        photos = list(product.photos.all())
    data = {
        "sku": product.sku,
        "code": product.code,
        "name": localized(product, "name"),
        "name_th": product.name_th,
        "name_en": product.name_en,
        "description": localized(product, "description"),
        "category": {"code": product.category.code, "name": localized(product.category, "name")},
        "producer": {"id": producer.pk, "name": localized(producer, "name")},
        "district": {"code": producer.district.code, "name": localized(producer.district, "name")},
        "province": {"code": producer.province.code, "name": localized(producer.province, "name")},
        "price": default.price if default else Decimal("0.00"),
        "otop_stars": product.otop_stars,
        "is_basket": product.is_basket,
        "status": product.status,
        "images": [
            {
                "url": request.build_absolute_uri(photo.image.url),
                "thumbnail_url": request.build_absolute_uri(photo.thumbnail.url),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in photos
        ],
        "variants": [
            {
                "id": variant.pk,
                "sku": variant.sku,
                "barcode": variant.barcode,
                "name": localized(variant, "name"),
                "price": variant.price,
                "is_default": variant.is_default,
            }
            for variant in variants
        ],
        "story_url": request.build_absolute_uri(reverse("storefront:story", kwargs={"code": product.code})),
        "qr_url": request.build_absolute_uri(reverse("catalog:qr-svg", kwargs={"code": product.code})),
        "availability": {"in_store": availability["in_store"], "online": availability["online"]},
    }
    if detail:
        data.update(
            story=sanitize_story(localized(product, "story")),
            story_th=sanitize_story(product.story_th),
            story_en=sanitize_story(product.story_en),
            weight_grams=product.weight_grams,
            certifications={
                "fda_number": product.fda_number,
                "tcps_number": product.tcps_number,
                "halal": product.is_halal,
                "gi": product.gi_name,
            },
        )
    return data


def _may_see_unlisted(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm("catalog.view_product")


@router.get("/products", response=ProductPage, auth=None, summary="Products, filtered and paged")
def list_products(request: HttpRequest, filters: Query[ProductFilters]):
    """Listed products for everyone; staff may ask for another `status` (or `status=` for all)."""
    limit, offset = filters.limit, filters.offset
    status = filters.status if _may_see_unlisted(request) else Product.Status.LISTED
    products = selectors.api_products(
        category=filters.category,
        district=filters.district,
        producer=filters.producer,
        min_price=filters.min_price,
        max_price=filters.max_price,
        status=status,
    )
    query = filters.q.strip()
    if query:
        count, page = _search_page(products, query=query, filters=filters, status=status, offset=offset, limit=limit)
    else:
        count, page = products.count(), list(products[offset : offset + limit])
    availability = availability_by_product(page)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [_product_out(request, product, availability[product.pk]) for product in page],
    }


# A relevance search answers at most this many matches (its `count` stops there too).
SEARCH_MAX_MATCHES = 1000


def _search_page(products, *, query: str, filters: ProductFilters, status: str, offset: int, limit: int):
    """The Thai-aware search (otop.search) in relevance order, with the list's other filters kept.

    The search index narrows by listing, category and district itself; the remaining filters
    (producer, default-variant price, another status for staff) are applied to its matches.
    """
    ranked = ranked_product_ids(
        query,
        limit=SEARCH_MAX_MATCHES,
        filters=SearchFilters(
            category=filters.category,
            district=filters.district,
            listed_only=status == Product.Status.LISTED,
        ),
    )
    matching = set(products.filter(pk__in=[pk for pk, _score in ranked]).values_list("pk", flat=True))
    ordered = [pk for pk, _score in ranked if pk in matching]
    wanted = ordered[offset : offset + limit]
    found = products.filter(pk__in=wanted).in_bulk()
    return len(ordered), [found[pk] for pk in wanted if pk in found]


@router.get("/products/{sku}", response={200: ProductDetailOut, **errors(404)}, auth=None, summary="One product by SKU")
def get_product(request: HttpRequest, sku: Annotated[str, Field(min_length=1, max_length=40)]):
    products = selectors.api_products(status="" if _may_see_unlisted(request) else Product.Status.LISTED)
    product = products.filter(sku=sku).first()
    if product is None:
        raise Http404
    return _product_out(request, product, product_availability(product), detail=True)
