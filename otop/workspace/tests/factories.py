from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from otop.workspace.models import Equipment, Space


class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"equipment-{n}")
    name_th = factory.Sequence(lambda n: f"อุปกรณ์ {n}")
    name_en = factory.Sequence(lambda n: f"Equipment {n}")


class SpaceFactory(DjangoModelFactory):
    class Meta:
        model = Space

    slug = factory.Sequence(lambda n: f"room-{n}")
    kind = Space.Kind.ROOM
    name_th = factory.Sequence(lambda n: f"ห้องประชุม {n}")
    name_en = factory.Sequence(lambda n: f"Meeting room {n}")
    capacity = 12
    price_per_hour = Decimal("300.00")
    member_price_per_hour = Decimal("0.00")
    slot_minutes = 30
    minimum_minutes = 60
    maximum_minutes = 480
    buffer_minutes = 0
    change_deadline_hours = 24
    wifi_network_name = "OTOP-Meeting"
