"""Products for search and shop tests, built on the catalog's own factories."""

from __future__ import annotations

from decimal import Decimal

from otop.catalog.models import Category, Product
from otop.catalog.tests.factories import ProductFactory


def listed_product(*, name_th: str, name_en: str = "", price: str = "100.00", **extra) -> Product:
    """A listed food product with one default variant and no story, indexed for search."""
    from otop.search.services import index_products

    extra.setdefault("category", Category.objects.get(code="food"))
    extra.setdefault("story_th", "")
    extra.setdefault("story_en", "")
    extra.setdefault("otop_stars", 4)
    product = ProductFactory(name_th=name_th, name_en=name_en, default_variant__price=Decimal(price), **extra)
    index_products(product_ids=[product.pk])
    return product
