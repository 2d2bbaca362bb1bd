from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from otop.pos.models import MenuItem, MenuOption, Register


class RegisterFactory(DjangoModelFactory):
    class Meta:
        model = Register
        django_get_or_create = ("code",)

    code = "shop"
    name_th = "เคาน์เตอร์ร้านค้า"
    name_en = "Shop counter"
    kind = Register.Kind.SHOP
    receipt_prefix = "S1"
    location_code = "shop"


class TeaRegisterFactory(RegisterFactory):
    code = "tea"
    name_th = "ร้านชาใบหม่อน"
    name_en = "Tea corner"
    kind = Register.Kind.TEA
    receipt_prefix = "T1"
    location_code = "tea"


class MenuItemFactory(DjangoModelFactory):
    class Meta:
        model = MenuItem

    register = factory.SubFactory(TeaRegisterFactory)
    code = "mulberry-tea"
    name_th = "ชาใบหม่อน"
    name_en = "Mulberry-leaf tea"
    price = Decimal("45.00")
    has_temperature = True
    has_sweetness = True


class MenuOptionFactory(DjangoModelFactory):
    class Meta:
        model = MenuOption

    register = factory.SubFactory(TeaRegisterFactory)
    code = "large"
    group = MenuOption.Group.SIZE
    name_th = "แก้วใหญ่"
    name_en = "Large"
    price = Decimal("10.00")
