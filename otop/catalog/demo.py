"""Demo additions to the catalog: a picture drawn with Pillow for every product, and some gift baskets."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from otop.catalog.drawings import drawn_picture
from otop.catalog.models import Category, Product, ProductPhoto, Variant
from otop.catalog.services import add_product_photo, set_basket_component, update_product

# Drawn pictures per category (each in its own colours and pattern): products beyond that share them,
# about two a picture in the default demo of 300 and thousands in a bench catalogue of 100,000, so
# seeding stays quick (a picture with its renditions takes ~0.1 s to draw and encode).
PICTURES_PER_CATEGORY = 30
BASKETS = [
    ("กระเช้าของฝากขอนแก่น", "Khon Kaen treats basket", Decimal("990.00"), ["food"] * 4),
    ("กระเช้าผ้าไหมและชาใบหม่อน", "Silk and mulberry tea basket", Decimal("2490.00"), ["textiles", "food"]),
    ("กระเช้าสมุนไพรเพื่อสุขภาพ", "Herbal wellness basket", Decimal("790.00"), ["herbal"] * 3),
]


def seed(*, products: int, seed: int) -> None:
    """Make a few gift baskets, then give every demo product a drawn picture; running again adds nothing."""
    _seed_baskets(products=products)
    _seed_pictures()


def _seed_pictures() -> None:
    rows = list(
        Product.objects.filter(sku__startswith="DEMO-")
        .order_by("sku")
        .values_list("pk", "category__code", "name_th", "name_en")
    )
    with_photos = set(
        ProductPhoto.objects.filter(product__sku__startswith="DEMO-").values_list("product_id", flat=True)
    )
    slots: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
    ordinals: dict[str, int] = {}
    for pk, category, name_th, name_en in rows:
        ordinal = ordinals.get(category, 0)
        ordinals[category] = ordinal + 1
        slots.setdefault((category, ordinal % PICTURES_PER_CATEGORY), []).append((pk, name_th, name_en))
    copies: list[ProductPhoto] = []
    for (category, slot), members in slots.items():
        missing = [member for member in members if member[0] not in with_photos]
        if not missing:
            continue
        source = ProductPhoto.objects.filter(product_id__in=[pk for pk, _th, _en in members]).order_by("id").first()
        if source is None:
            pk, name_th, name_en = missing.pop(0)
            source = add_product_photo(
                product=Product.objects.get(pk=pk),
                upload=ContentFile(drawn_picture(category, slot), name="demo.jpg"),
                actor=None,
                alt_th=name_th,
                alt_en=name_en,
            )
        copies += [
            ProductPhoto(
                product_id=pk,
                image=source.image.name,
                thumbnail=source.thumbnail.name,
                width=source.width,
                height=source.height,
                rendition_widths=source.rendition_widths,
                alt_th=name_th,
                alt_en=name_en,
            )
            for pk, name_th, name_en in missing
        ]
    for start in range(0, len(copies), 2000):
        batch = copies[start : start + 2000]
        ProductPhoto.objects.bulk_create(batch)
        Product.objects.filter(pk__in=[photo.product_id for photo in batch]).update(updated_at=timezone.now())


def _seed_baskets(*, products: int) -> None:
    # The demo promises exactly `products` products, so the baskets are made from the last few
    # single-variant demo products rather than added beside them.
    if products < 20 or Product.objects.filter(sku__startswith="DEMO-", is_basket=True).exists():
        return
    souvenirs = Category.objects.get(code="souvenirs")
    candidates = list(
        Product.objects.filter(sku__startswith="DEMO-", is_basket=False)
        .annotate(variant_count=Count("variants"))
        .filter(variant_count=1)
        .order_by("-sku")[: len(BASKETS)]
    )
    for product, (name_th, name_en, price, categories) in zip(candidates, BASKETS, strict=False):
        Product.objects.filter(pk=product.pk).update(is_basket=True)
        product.is_basket = True
        update_product(
            product=product,
            actor=None,
            price=price,
            name_th=name_th,
            name_en=name_en,
            category=souvenirs,
            status=Product.Status.LISTED,
            description_th=name_th,
            description_en=name_en,
            story_th="<p>จัดกระเช้าโดยศูนย์ รวมสินค้าจากหลายอำเภอของขอนแก่น</p>",
            story_en="<p>Put together by the center from products of several Khon Kaen districts.</p>",
        )
        used: set[int] = set()
        for category in categories:
            variant = (
                Variant.objects.filter(
                    is_default=True,
                    product__category__code=category,
                    product__status=Product.Status.LISTED,
                    product__is_basket=False,
                )
                .exclude(product__producer_id__in=used)
                .select_related("product")
                .order_by("sku")
                .first()
            )
            if variant is None:
                continue
            used.add(variant.product.producer_id)
            set_basket_component(basket=product, variant=variant, quantity=1, actor=None)
