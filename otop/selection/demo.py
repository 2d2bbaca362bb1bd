"""Demo data for selection: one meeting with applications from the demo producer (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Category
from otop.producers.models import Producer
from otop.selection import services
from otop.selection.models import Application, Meeting

MEETING_TITLE = "ประชุมคัดเลือกสินค้า (ตัวอย่าง)"
APPLICATIONS = [
    ("food", "ชาใบหม่อนออร์แกนิก", "Organic mulberry-leaf tea", Decimal("120.00")),
    ("textiles", "ผ้าไหมมัดหมี่ลายดอกคูน", "Mudmee silk, golden shower flower", Decimal("2400.00")),
]


def seed(*, products: int, seed: int) -> None:
    if Meeting.objects.filter(title=MEETING_TITLE).exists():
        return
    producer = Producer.objects.filter(user__username="producer").first()
    chair = User.objects.filter(username="committee1").first()
    staff = User.objects.filter(username="staff").first()
    if producer is None or chair is None or staff is None:
        return
    with transaction.atomic():
        applications: list[Application] = []
        for category_code, name_th, name_en, price in APPLICATIONS:
            applications.append(
                services.submit_application(
                    actor=producer.user,
                    producer=producer,
                    category=Category.objects.get(code=category_code),
                    name_th=name_th,
                    name_en=name_en,
                    proposed_price=price,
                    description_th=f"{name_th} จาก{producer.name_th}",
                    sample_delivered=True,
                )
            )
        services.plan_meeting(
            actor=staff, title=MEETING_TITLE, held_on=timezone.localdate(), chair=chair, applications=applications
        )
