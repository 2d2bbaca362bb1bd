"""Demo co-working spaces: the meeting room with Smart TV and WiFi, and two desks (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from otop.workspace.models import Equipment, Space

EQUIPMENT = [
    ("smart-tv", "สมาร์ททีวี", "Smart TV"),
    ("wifi", "WiFi", "WiFi"),
    ("whiteboard", "ไวท์บอร์ด", "Whiteboard"),
    ("power", "ปลั๊กไฟ", "Power sockets"),
]

SPACES = [
    {
        "slug": "meeting-room",
        "kind": Space.Kind.ROOM,
        "name_th": "ห้องประชุม Co-working",
        "name_en": "Co-working meeting room",
        "description_th": "ห้องประชุมพร้อมสมาร์ททีวีและ WiFi สำหรับประชุม อบรม และนำเสนอสินค้า",
        "description_en": "A meeting room with a Smart TV and WiFi for meetings, training and product pitches.",
        "capacity": 12,
        "price_per_hour": Decimal("300.00"),
        "member_price_per_hour": Decimal("0.00"),
        "minimum_minutes": 60,
        "maximum_minutes": 480,
        "buffer_minutes": 15,
        "wifi_network_name": "OTOP-KhonKaen-Meeting",
        "position": 1,
        "equipment": ["smart-tv", "wifi", "whiteboard", "power"],
    },
    {
        "slug": "desk-1",
        "kind": Space.Kind.DESK,
        "name_th": "โต๊ะทำงาน 1",
        "name_en": "Desk 1",
        "description_th": "โต๊ะทำงานริมหน้าต่าง มี WiFi และปลั๊กไฟ",
        "description_en": "A desk by the window with WiFi and power.",
        "capacity": 1,
        "price_per_hour": Decimal("50.00"),
        "member_price_per_hour": Decimal("0.00"),
        "minimum_minutes": 60,
        "maximum_minutes": 600,
        "buffer_minutes": 0,
        "wifi_network_name": "OTOP-KhonKaen-Guest",
        "position": 2,
        "equipment": ["wifi", "power"],
    },
    {
        "slug": "desk-2",
        "kind": Space.Kind.DESK,
        "name_th": "โต๊ะทำงาน 2",
        "name_en": "Desk 2",
        "description_th": "โต๊ะทำงานใกล้มุมชาใบหม่อน มี WiFi และปลั๊กไฟ",
        "description_en": "A desk near the mulberry-leaf tea corner with WiFi and power.",
        "capacity": 1,
        "price_per_hour": Decimal("50.00"),
        "member_price_per_hour": Decimal("0.00"),
        "minimum_minutes": 60,
        "maximum_minutes": 600,
        "buffer_minutes": 0,
        "wifi_network_name": "OTOP-KhonKaen-Guest",
        "position": 3,
        "equipment": ["wifi", "power"],
    },
]


def seed(*, products: int, seed: int) -> None:
    equipment = {}
    for code, name_th, name_en in EQUIPMENT:
        equipment[code], _created = Equipment.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en}
        )
    for data in SPACES:
        data = dict(data)
        codes = data.pop("equipment")
        space, created = Space.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        if created:
            space.equipment.set([equipment[code] for code in codes])
