from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from otop.catalog.models import Category
from otop.producers.tests.factories import ProducerFactory
from otop.selection.models import Application


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    producer = factory.SubFactory(ProducerFactory)
    category = factory.LazyFunction(lambda: Category.objects.get(code="textiles"))
    name_th = "ผ้าไหมมัดหมี่ลายนาคน้อย"
    name_en = "Mudmee silk, little naga"
    proposed_price = Decimal("1250.00")
    description_th = "ผ้าไหมทอมือ ย้อมสีธรรมชาติ"
    submitted_at = factory.LazyFunction(timezone.now)
