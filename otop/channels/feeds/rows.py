"""The rows of the catalogue feeds: one per variant of a listed product, read in chunks (bounded memory).

Fields follow Meta's catalogue reference (the Google feed uses the same values under Google's names):
`id` is the variant's SKU, `item_group_id` the product's SKU when it has several variants, prices
are written `"350.00 THB"`, links are absolute, images are the square renditions of `images.py`.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from otop.catalog.models import Product, ProductPhoto, Variant
from otop.inventory.selectors import available_quantities

CHUNK = 2000
TITLE_MAX = 200
DESCRIPTION_MAX = 9999
ID_MAX = 100
# At most this many extra photos per item (Meta takes up to 20, Google 10).
ADDITIONAL_IMAGES_MAX = 10

# Google's product taxonomy ids for the five OTOP categories (Meta reads the same taxonomy).
# Food, Beverages & Tobacco; Apparel & Accessories; Home & Garden; Home & Garden > Decor; Health & Beauty.
GOOGLE_CATEGORIES = {"food": "412", "textiles": "166", "household": "536", "souvenirs": "696", "herbal": "469"}

# What XML 1.0 cannot carry (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


# Tags that end a block become a space; other tags (<b>, <span>) disappear without one (Thai has no spaces).
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|blockquote)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def plain_text(value: str, limit: int) -> str:
    """Text without HTML tags or entities, whitespace collapsed, cut to `limit` characters.

    Stories are sanitized HTML (catalog.services.sanitize_story), so removing tags by pattern is enough;
    Django's strip_tags parsed each one with HTMLParser and took 80 % of a 100,000-product build.
    """
    text = value or ""
    if "<" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
        if "<" in text:  # tags written as entities
            text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    text = _SPACES.sub(" ", _NOT_XML.sub("", text)).strip()
    return text[:limit].rstrip()


@lru_cache(maxsize=4096)
def short_text(value: str, limit: int) -> str:
    """plain_text for the few values many rows share (producers, categories, districts)."""
    return plain_text(value, limit)


def price_text(amount: Decimal) -> str:
    return f"{amount:.2f} THB"


def image_version(photo_id: int | None, updated_at) -> str:
    """Part of an image's address that changes when the picture may have: the photo and the product's edit time."""
    return format(zlib.crc32(f"{photo_id or 0}:{updated_at.isoformat()}".encode()), "08x")


@dataclass(frozen=True)
class FeedRow:
    id: str
    item_group_id: str
    title: str
    description: str
    title_en: str
    description_en: str
    in_stock: bool
    quantity: int
    price: Decimal
    link: str
    link_en: str
    image_link: str
    additional_image_links: tuple[str, ...]
    brand: str
    google_product_category: str
    product_type: str
    district: str
    stars: str
    gtin: str = ""
    weight_grams: int | None = None  # one unit's, for the shipping rate (None: not recorded)
    volume_cm3: int = 0

    @property
    def price_text(self) -> str:
        return price_text(self.price)


class _Links:
    """Absolute addresses built from one reversed template each (reverse() per row costs seconds at 100,000)."""

    def __init__(self) -> None:
        base = settings.SITE_URL.rstrip("/")
        marker = "CODE0MARK"
        with translation.override("th"):
            self.story = base + reverse("storefront:story", kwargs={"code": marker})
        with translation.override("en"):
            self.story_en = base + reverse("storefront:story", kwargs={"code": marker})
        self.image = base + reverse(
            "channels:feed-image", kwargs={"code": marker, "index": 0, "version": "VERSION0MARK"}
        ).replace("/0/", "/INDEX0MARK/")
        self.marker = marker

    def product(self, code: str, *, english: bool = False) -> str:
        return (self.story_en if english else self.story).replace(self.marker, code)

    def photo(self, code: str, index: int, version: str) -> str:
        return self.image.replace(self.marker, code).replace("INDEX0MARK", str(index)).replace("VERSION0MARK", version)


def _chunks(iterator: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


VARIANT_FIELDS = (
    "id",
    "sku",
    "barcode",
    "name_th",
    "name_en",
    "price",
    "product_id",
    "product__code",
    "product__sku",
    "product__name_th",
    "product__name_en",
    "product__description_th",
    "product__description_en",
    "product__story_th",
    "product__story_en",
    "product__otop_stars",
    "product__updated_at",
    "product__category__code",
    "product__category__name_th",
    "product__producer__name_th",
    "product__producer__district__name_th",
    "weight_grams",
    "product__weight_grams",
    "product__length_mm",
    "product__width_mm",
    "product__height_mm",
)


def feed_variants():
    """The variants the feeds list: active variants of listed products, a product's variants together."""
    return (
        Variant.objects.filter(is_active=True, product__status=Product.Status.LISTED)
        .order_by("product_id", "sort_order", "id")
        .values(*VARIANT_FIELDS)
    )


def _title(product_name: str, variant_name: str) -> str:
    return plain_text(f"{product_name} {variant_name}", TITLE_MAX)


def feed_rows(*, chunk_size: int = CHUNK) -> Iterator[FeedRow]:
    """Every row of the feeds, read `chunk_size` variants at a time (stock and photos per chunk)."""
    links = _Links()
    rows = feed_variants().iterator(chunk_size=chunk_size)
    for chunk in _chunks(rows, chunk_size):
        product_ids = {row["product_id"] for row in chunk}
        variant_counts = dict(
            Variant.objects.filter(product_id__in=product_ids, is_active=True)
            .order_by()
            .values("product_id")
            .annotate(n=Count("id"))
            .values_list("product_id", "n")
        )
        photos: dict[int, list[int]] = {}
        for product_id, photo_id in (
            ProductPhoto.objects.filter(product_id__in=product_ids)
            .order_by("product_id", "sort_order", "id")
            .values_list("product_id", "id")
        ):
            photos.setdefault(product_id, []).append(photo_id)
        available = available_quantities(variant_ids=[row["id"] for row in chunk])
        for row in chunk:
            yield _row(row, links, variant_counts, photos, available)


def _row(row: dict, links: _Links, variant_counts: dict, photos: dict, available: dict) -> FeedRow:
    code = row["product__code"]
    product_photos = photos.get(row["product_id"], [])
    main = product_photos[0] if product_photos else None
    version = image_version(main, row["product__updated_at"])
    extra = tuple(
        links.photo(code, index, image_version(photo_id, row["product__updated_at"]))
        for index, photo_id in enumerate(product_photos[1 : ADDITIONAL_IMAGES_MAX + 1], start=1)
    )
    title = _title(row["product__name_th"], row["name_th"])
    name_en = row["product__name_en"] or row["product__name_th"]
    title_en = _title(name_en, row["name_en"] or row["name_th"])
    description = (
        plain_text(row["product__description_th"], DESCRIPTION_MAX)
        or plain_text(row["product__story_th"], DESCRIPTION_MAX)
        or title
    )
    description_en = (
        plain_text(row["product__description_en"], DESCRIPTION_MAX)
        or plain_text(row["product__story_en"], DESCRIPTION_MAX)
        or title_en
    )
    quantity = max(0, available.get(row["id"], 0))
    stars = row["product__otop_stars"]
    return FeedRow(
        id=row["sku"][:ID_MAX],
        item_group_id=row["product__sku"][:ID_MAX] if variant_counts.get(row["product_id"], 1) > 1 else "",
        title=title,
        description=description,
        title_en=title_en,
        description_en=description_en,
        in_stock=quantity > 0,
        quantity=quantity,
        price=row["price"],
        link=links.product(code),
        link_en=links.product(code, english=True),
        image_link=links.photo(code, 0, version),
        additional_image_links=extra,
        brand=short_text(row["product__producer__name_th"], 100),
        google_product_category=GOOGLE_CATEGORIES.get(row["product__category__code"], ""),
        product_type=short_text(row["product__category__name_th"], 750),
        district=short_text(row["product__producer__district__name_th"] or "", 100),
        stars=f"OTOP {stars} ดาว" if stars else "",
        # Barcodes starting with 2 are the center's own (in-store numbers), not GTINs shops may list.
        gtin=row["barcode"] if row["barcode"] and not row["barcode"].startswith("2") else "",
        weight_grams=row["weight_grams"] or row["product__weight_grams"] or None,
        volume_cm3=_volume_cm3(row),
    )


def _volume_cm3(row: dict) -> int:
    """The parcel size of one unit (as otop.shipping.parcels measures it), 0 when not recorded."""
    length, width, height = row["product__length_mm"], row["product__width_mm"], row["product__height_mm"]
    return max(1, length * width * height // 1000) if length and width and height else 0
