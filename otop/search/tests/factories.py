"""Catalog objects for search and shop tests (the catalog app's own factories may replace these)."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from otop.catalog.models import Category, Product, Variant
from otop.geo.models import District, Province
from otop.producers.models import Producer


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    name_th = factory.Sequence(lambda n: f"กลุ่มทอผ้าบ้านนาดี {n}")
    name_en = factory.Sequence(lambda n: f"Ban Na Di weaving group {n}")
    province = factory.LazyFunction(lambda: Province.objects.get(code="40"))
    district = factory.LazyFunction(lambda: District.objects.get(code="4001"))


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"t{n:05d}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name_th = "สินค้า"
    name_en = "Product"
    category = factory.LazyFunction(lambda: Category.objects.get(code="food"))
    producer = factory.SubFactory(ProducerFactory)
    status = Product.Status.LISTED
    otop_stars = 4


class VariantFactory(DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.LazyAttribute(lambda o: o.product.sku)
    price = Decimal("100.00")
    is_default = True


def listed_product(*, name_th: str, name_en: str = "", price: str = "100.00", **extra) -> Product:
    """A listed product with one default variant, indexed for search."""
    from otop.search.services import index_products

    product = ProductFactory(name_th=name_th, name_en=name_en, **extra)
    VariantFactory(product=product, price=Decimal(price))
    index_products(product_ids=[product.pk])
    return product
