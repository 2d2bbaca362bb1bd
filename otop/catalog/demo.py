"""Demo additions to the catalog: a few product photos drawn with Pillow and some gift baskets."""

from __future__ import annotations

import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Count
from PIL import Image, ImageDraw

from otop.catalog.models import Category, Product, Variant
from otop.catalog.services import add_product_photo, set_basket_component, update_product

PHOTOS = 6
BASKETS = [
    ("กระเช้าของฝากขอนแก่น", "Khon Kaen treats basket", Decimal("990.00"), ["food"] * 4),
    ("กระเช้าผ้าไหมและชาใบหม่อน", "Silk and mulberry tea basket", Decimal("2490.00"), ["textiles", "food"]),
    ("กระเช้าสมุนไพรเพื่อสุขภาพ", "Herbal wellness basket", Decimal("790.00"), ["herbal"] * 3),
]


def _drawn_photo(rng: random.Random) -> bytes:
    colour = tuple(rng.randrange(80, 230) for _ in range(3))
    image = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(0, 1100), rng.randrange(0, 800)
        size = rng.randrange(60, 300)
        shade = tuple(max(0, c - rng.randrange(20, 80)) for c in colour)
        draw.ellipse((x, y, x + size, y + size), fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def seed(*, products: int, seed: int) -> None:
    """Add photos to the first listed demo products and a few gift baskets; running again adds nothing."""
    rng = random.Random(seed)
    listed = Product.objects.filter(sku__startswith="DEMO-0", status=Product.Status.LISTED).order_by("sku")
    for product in listed[:PHOTOS]:
        if product.photos.exists():
            continue
        add_product_photo(
            product=product,
            upload=ContentFile(_drawn_photo(rng), name="demo.jpg"),
            actor=None,
            alt_th=product.name_th,
            alt_en=product.name_en,
        )
    _seed_baskets(products=products)


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
