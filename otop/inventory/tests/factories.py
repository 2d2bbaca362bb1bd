from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from otop.catalog.models import Category, Product, Variant
from otop.producers.models import Producer


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    name_th = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test group {n}")
    province_id = "40"
    district_id = "4001"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"t{n:06d}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name_th = factory.Sequence(lambda n: f"ผ้าไหมทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test silk {n}")
    category = factory.LazyFunction(lambda: Category.objects.get(code="textiles"))
    producer = factory.SubFactory(ProducerFactory)
    status = Product.Status.LISTED


class VariantFactory(DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.LazyAttribute(lambda v: v.product.sku)
    price = Decimal("350.00")
    is_default = True
