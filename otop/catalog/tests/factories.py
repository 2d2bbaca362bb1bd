from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from otop.catalog.barcodes import in_store_ean13
from otop.catalog.models import Category, Product, Variant
from otop.geo.models import District, Province
from otop.producers.models import Producer


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    name_th = factory.Sequence(lambda n: f"กลุ่มทอผ้าบ้านโนน {n}")
    name_en = factory.Sequence(lambda n: f"Ban Non Weavers {n}")
    province = factory.LazyFunction(lambda: Province.objects.get(code="40"))
    district = factory.LazyFunction(lambda: District.objects.get(code="4001"))


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"t{n:05d}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name_th = "ผ้าไหมมัดหมี่"
    name_en = "Mudmee silk"
    category = factory.LazyFunction(lambda: Category.objects.get(code="textiles"))
    producer = factory.SubFactory(ProducerFactory)
    status = Product.Status.LISTED
    story_th = "ทอด้วยมือ"
    story_en = "Woven by hand"

    @factory.post_generation
    def default_variant(self, create, extracted, **kwargs):
        if not create:
            return
        price = kwargs.get("price", Decimal("1500.00"))
        Variant.objects.create(
            product=self, sku=self.sku, price=price, is_default=True, barcode=in_store_ean13(9_000_000 + self.pk)
        )
