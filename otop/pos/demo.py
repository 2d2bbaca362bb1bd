"""Demo till: the shop counter, the mulberry-tea corner with its menu, and the manager's approval PIN."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from otop.accounts.models import User
from otop.pos.models import ManagerPin, MenuItem, MenuOption, Register

DEMO_MANAGER_PIN = "256901"

REGISTERS = [
    # code, Thai, English, kind, receipt prefix, stock location
    ("shop", "เคาน์เตอร์ร้านค้า", "Shop counter", Register.Kind.SHOP, "S1", "shop"),
    ("tea", "ร้านชาใบหม่อน", "Mulberry-tea corner", Register.Kind.TEA, "T1", "tea"),
]

MENU = [
    # code, Thai, English, kind, price, hot/iced, sweetness
    ("mulberry-tea", "ชาใบหม่อน", "Mulberry-leaf tea", MenuItem.Kind.DRINK, "45.00", True, True),
    ("mulberry-milk-tea", "ชานมใบหม่อน", "Mulberry-leaf milk tea", MenuItem.Kind.DRINK, "55.00", True, True),
    ("lemongrass", "น้ำตะไคร้ใบเตย", "Lemongrass and pandan drink", MenuItem.Kind.DRINK, "35.00", True, True),
    ("banana", "กล้วยตากอบน้ำผึ้ง", "Honey-baked dried banana", MenuItem.Kind.SNACK, "25.00", False, False),
    ("thong-muan", "ทองม้วน", "Thong muan rolled wafers", MenuItem.Kind.SNACK, "30.00", False, False),
]

OPTIONS = [
    ("regular", MenuOption.Group.SIZE, "แก้วปกติ", "Regular", "0.00"),
    ("large", MenuOption.Group.SIZE, "แก้วใหญ่", "Large", "10.00"),
    ("honey", MenuOption.Group.EXTRA, "เพิ่มน้ำผึ้ง", "Extra honey", "10.00"),
    ("extra-shot", MenuOption.Group.EXTRA, "เพิ่มชาเข้มข้น", "Extra tea shot", "15.00"),
]


@transaction.atomic
def seed(*, products: int, seed: int) -> None:
    from otop.pos.services import set_manager_pin

    for code, name_th, name_en, kind, prefix, location in REGISTERS:
        Register.objects.get_or_create(
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "kind": kind, "receipt_prefix": prefix,
                      "location_code": location},
        )  # fmt: skip
    tea = Register.objects.get(code="tea")
    for order, (code, name_th, name_en, kind, price, temperature, sweetness) in enumerate(MENU):
        MenuItem.objects.get_or_create(
            register=tea,
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "kind": kind, "price": Decimal(price),
                      "has_temperature": temperature, "has_sweetness": sweetness, "sort_order": order},
        )  # fmt: skip
    for order, (code, group, name_th, name_en, price) in enumerate(OPTIONS):
        MenuOption.objects.get_or_create(
            register=tea,
            code=code,
            defaults={"group": group, "name_th": name_th, "name_en": name_en, "price": Decimal(price),
                      "sort_order": order},
        )  # fmt: skip
    manager = User.objects.filter(username="manager").first()
    if manager is not None and not ManagerPin.objects.filter(user=manager).exists():
        set_manager_pin(user=manager, pin=DEMO_MANAGER_PIN)
