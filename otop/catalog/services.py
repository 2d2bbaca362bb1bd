"""Writes of the catalog: products, their variants, photos, gift baskets and QR scan counts."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import nh3
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from otop.accounts.models import User
from otop.catalog.barcodes import generated_ean13, is_valid_ean13
from otop.catalog.errors import BarcodeTaken, InvalidBarcode, InvalidBasket, InvalidPhoto, ProductNotListed
from otop.catalog.models import BasketComponent, Category, Product, ProductPhoto, QrScanDay, Variant
from otop.catalog.renditions import make_renditions, rendition_names
from otop.core.services import record_audit_event
from otop.core.uploads import InvalidUpload, clean_image, encode

# --- rich text --------------------------------------------------------------------------------

STORY_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a"}
STORY_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_story(html: str) -> str:
    """Keep only the harmless formatting of a story (no scripts, styles, event handlers or images)."""
    return nh3.clean(
        html or "",
        tags=STORY_TAGS,
        attributes=STORY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    ).strip()


# --- barcodes and codes -----------------------------------------------------------------------


def clean_barcode(value: str | None) -> str | None:
    """Return an EAN-13 exactly as given, None when empty; a wrong check digit is refused, never fixed."""
    value = (value or "").strip()
    if not value:
        return None
    if not is_valid_ean13(value):
        if len(value) == 13 and value.isdigit():
            raise InvalidBarcode(_("The check digit of barcode %(barcode)s is wrong.") % {"barcode": value})
        raise InvalidBarcode(_("A barcode (EAN-13) has exactly 13 digits."))
    return value


_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def random_product_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _index in range(7))


def new_product_code() -> str:
    """Return an unused short code for a product's QR link (/p/<code>)."""
    while True:
        code = random_product_code()
        if not Product.objects.filter(code=code).exists():
            return code


def _check_barcode_free(barcode: str | None, *, except_variant: Variant | None = None) -> None:
    if barcode is None:
        return
    taken = Variant.objects.filter(barcode=barcode)
    if except_variant is not None and except_variant.pk:
        taken = taken.exclude(pk=except_variant.pk)
    if taken.exists():
        raise BarcodeTaken(
            _("Barcode %(barcode)s already belongs to another product.") % {"barcode": barcode},
            fields={"barcode": [_("This barcode is already used.")]},
        )


def _give_generated_barcode(variant: Variant) -> None:
    variant.barcode = generated_ean13(variant.pk)
    variant.save(update_fields=["barcode"])


# --- products and variants --------------------------------------------------------------------

PRODUCT_FIELDS = {
    "name_th", "name_en", "category", "producer", "description_th", "description_en", "story_th", "story_en",
    "status", "otop_stars", "weight_grams", "length_mm", "width_mm", "height_mm", "fda_number", "tcps_number",
    "is_halal", "gi_name",
}  # fmt: skip


def _apply_product_fields(product: Product, fields: dict[str, Any]) -> list[str]:
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    for name in ("story_th", "story_en"):
        if name in fields:
            fields[name] = sanitize_story(fields[name])
    for name, value in fields.items():
        setattr(product, name, value)
    return list(fields)


@transaction.atomic
def create_product(
    *,
    sku: str,
    name_th: str,
    category: Category,
    producer: Any,
    price: Decimal,
    actor: User | None,
    barcode: str | None = None,
    is_basket: bool = False,
    code: str | None = None,
    **fields: Any,
) -> Product:
    """Create a product with its default variant (same SKU); give it an in-store barcode when it has none."""
    barcode = clean_barcode(barcode)
    _check_barcode_free(barcode)
    product = Product(
        sku=sku, code=code or new_product_code(), name_th=name_th, category=category, producer=producer,
        is_basket=is_basket,
    )  # fmt: skip
    _apply_product_fields(product, fields)
    product.full_clean(exclude=["producer", "category"])
    product.save()
    variant = Variant.objects.create(
        product=product, sku=sku, barcode=barcode, price=price, weight_grams=product.weight_grams, is_default=True
    )
    if barcode is None:
        _give_generated_barcode(variant)
    record_audit_event(actor=actor, action="catalog.product_created", target=product, summary=sku)
    return product


@transaction.atomic
def update_product(
    *, product: Product, actor: User | None, price: Decimal | None = None, barcode: str | None = None, **fields: Any
) -> Product:
    """Change a product's fields (stories are sanitized) and its default variant's price or barcode."""
    changed = _apply_product_fields(product, fields)
    product.full_clean(exclude=["producer", "category", "code", "sku"])
    product.save()  # always: updated_at keys the cached story page
    variant = default_variant_of(product)
    variant_changes = []
    if price is not None and price != variant.price:
        variant.price = price
        variant_changes.append("price")
    if barcode is not None:
        barcode = clean_barcode(barcode)
        if barcode is not None and barcode != variant.barcode:
            _check_barcode_free(barcode, except_variant=variant)
            variant.barcode = barcode
            variant_changes.append("barcode")
    if "weight_grams" in fields and variant.weight_grams != product.weight_grams:
        variant.weight_grams = product.weight_grams
        variant_changes.append("weight_grams")
    if variant_changes:
        variant.save(update_fields=variant_changes)
    record_audit_event(
        actor=actor,
        action="catalog.product_changed",
        target=product,
        summary=product.sku,
        data={"fields": sorted(changed + variant_changes)},
    )
    return product


@transaction.atomic
def delist_product(*, product: Product, actor: User | None) -> Product:
    """Take a listed product off the shelf (ProductNotListed when it is not listed); the caller says why."""
    product = Product.objects.select_for_update(of=("self",)).get(pk=product.pk)
    if product.status != Product.Status.LISTED:
        raise ProductNotListed(_("Only a listed product can be delisted."))
    product.status = Product.Status.DELISTED
    product.save(update_fields=["status", "updated_at"])
    return product


def default_variant_of(product: Product) -> Variant:
    return Variant.objects.get(product=product, is_default=True)


def touch_product(product: Product) -> None:
    """Mark a product as changed so its cached story page is rendered again."""
    now = timezone.now()
    Product.objects.filter(pk=product.pk).update(updated_at=now)
    product.updated_at = now


@transaction.atomic
def add_variant(
    *, product: Product, sku: str, price: Decimal, actor: User | None, name_th: str = "", name_en: str = "",
    barcode: str | None = None,
) -> Variant:  # fmt: skip
    """Add a real variant (a colour, a size) with its own SKU, barcode and price."""
    barcode = clean_barcode(barcode)
    _check_barcode_free(barcode)
    last = product.variants.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    variant = Variant(
        product=product, sku=sku, barcode=barcode, price=price, name_th=name_th, name_en=name_en,
        weight_grams=product.weight_grams, sort_order=last + 1,
    )  # fmt: skip
    variant.full_clean(exclude=["product", "barcode"])
    variant.save()
    if barcode is None:
        _give_generated_barcode(variant)
    touch_product(product)
    record_audit_event(actor=actor, action="catalog.variant_added", target=variant, summary=sku)
    return variant


# --- photos -----------------------------------------------------------------------------------

MAX_PHOTO_BYTES = 5 * 1024 * 1024
LONGEST_SIDE = 1600
THUMBNAIL_WIDTH = 480


@transaction.atomic
def add_product_photo(
    *, product: Product, upload: UploadedFile | ContentFile, actor: User | None, alt_th: str = "", alt_en: str = ""
) -> ProductPhoto:
    """Store a photo re-encoded from its pixels (which drops EXIF, GPS and anything appended) and a WebP
    thumbnail; the pixel count is checked from the header before decoding (core.uploads)."""
    try:
        clean = clean_image(upload, max_bytes=MAX_PHOTO_BYTES, longest_side=LONGEST_SIDE)
    except InvalidUpload as error:
        raise InvalidPhoto(error.message) from None
    image = Image.open(clean.content)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 2))
    stem = f"{product.code}-{uuid.uuid4().hex[:10]}"
    last = product.photos.order_by("-sort_order").values_list("sort_order", flat=True).first()
    photo = ProductPhoto(product=product, alt_th=alt_th, alt_en=alt_en, sort_order=0 if last is None else last + 1)
    clean.content.seek(0)
    photo.image.save(f"{stem}.{clean.extension}", clean.content, save=False)
    photo.thumbnail.save(f"{stem}.webp", encode(thumbnail, "WEBP"), save=False)
    photo.width, photo.height = clean.width, clean.height
    photo.rendition_widths = make_renditions(image=image, image_name=photo.image.name, storage=photo.image.storage)
    photo.save()
    touch_product(product)
    record_audit_event(actor=actor, action="catalog.photo_added", target=product, summary=photo.image.name)
    return photo


def make_missing_renditions() -> int:
    """Make the renditions of the photos stored before renditions existed; return how many photos got them.

    Photos sharing one stored picture (the demo's) are read and encoded once."""
    done: dict[str, list[int]] = {}
    count = 0
    for photo in ProductPhoto.objects.filter(rendition_widths=[]).order_by("pk").iterator():
        widths = done.get(photo.image.name)
        if widths is None:
            with photo.image.open("rb") as stored:
                image = Image.open(stored)
                image.load()
            widths = make_renditions(image=image, image_name=photo.image.name, storage=photo.image.storage)
            done[photo.image.name] = widths
        ProductPhoto.objects.filter(pk=photo.pk).update(rendition_widths=widths)
        Product.objects.filter(pk=photo.product_id).update(updated_at=timezone.now())
        count += 1
    return count


@transaction.atomic
def remove_product_photo(*, photo: ProductPhoto, actor: User | None) -> None:
    product = photo.product
    names = [photo.image.name, photo.thumbnail.name, *rendition_names(photo)]
    storage = photo.image.storage
    photo.delete()
    if ProductPhoto.objects.filter(image=names[0]).exists():
        # The demo's large catalogues share drawn pictures between products: keep the files another uses.
        names = []
    touch_product(product)
    record_audit_event(actor=actor, action="catalog.photo_removed", target=product, summary=photo.image.name)
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- gift baskets -----------------------------------------------------------------------------


@transaction.atomic
def set_basket_component(
    *, basket: Product, variant: Variant, quantity: int, actor: User | None
) -> BasketComponent | None:
    """Put `quantity` of a variant in a gift basket (0 takes it out); baskets cannot hold baskets."""
    if not basket.is_basket:
        raise InvalidBasket(_("Only a gift basket can have components."))
    if variant.product_id == basket.pk or variant.product.is_basket:
        raise InvalidBasket(_("A gift basket cannot contain a gift basket."))
    if quantity < 0 or quantity > 99:
        raise InvalidBasket(_("The quantity must be between 1 and 99."))
    touch_product(basket)
    if quantity == 0:
        BasketComponent.objects.filter(basket=basket, variant=variant).delete()
        record_audit_event(actor=actor, action="catalog.basket_changed", target=basket, summary=f"-{variant.sku}")
        return None
    component, _created = BasketComponent.objects.update_or_create(
        basket=basket, variant=variant, defaults={"quantity": quantity}
    )
    record_audit_event(
        actor=actor, action="catalog.basket_changed", target=basket, summary=f"{quantity} × {variant.sku}"
    )
    return component


# --- QR scans ---------------------------------------------------------------------------------


def record_qr_scan(*, product_id: int, day: date | None = None) -> None:
    """Count one QR scan of a product on a business day: one row per product and day, no visitor data."""
    day = day or timezone.localdate()
    counter = QrScanDay.objects.filter(product_id=product_id, day=day)
    if counter.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            QrScanDay.objects.create(product_id=product_id, day=day, count=1)
    except IntegrityError:  # another request created today's row first
        counter.update(count=F("count") + 1)
