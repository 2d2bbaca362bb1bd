"""Reference data of shipping: default carriers, Thailand Post's published weight bands, standard boxes.

Put back after a migrate or a test flush when no carrier exists. Everything here is data the manager edits
in the back office; only Thailand Post is offered at checkout
until the manager turns another carrier on. The bands carry the source and date they were read from.
"""

from datetime import date
from decimal import Decimal
from typing import Any

# EMS in Thailand (ด่วนพิเศษในประเทศ): up to N grams → baht.
EMS_BANDS = [
    (20, "32"),
    (100, "37"),
    (250, "42"),
    (500, "52"),
    (1000, "67"),
    (1500, "82"),
    (2000, "97"),
    (2500, "122"),
    (3000, "137"),
    (3500, "157"),
    (4000, "177"),
    (4500, "197"),
    (5000, "217"),
    (5500, "242"),
    (6000, "267"),
    (6500, "292"),
    (7000, "317"),
    (7500, "342"),
    (8000, "367"),
    (8500, "397"),
    (9000, "427"),
    (9500, "457"),
    (10000, "487"),
]
# Boxed parcels (พัสดุ/ลงทะเบียน): 20 baht up to 1 kg, then 15 baht each further (whole) kilogram.
REGISTERED_BANDS = [(1000, "20")] + [(kg * 1000, str(20 + 15 * (kg - 1))) for kg in range(2, 21)]

# Thailand Post's standard boxes (inside size in cm) and what each empty box weighs, roughly (weigh yours).
BOXES = [
    ("ก", 14, 20, 6, 60),
    ("ข", 17, 25, 9, 90),
    ("ค", 20, 30, 11, 130),
    ("ง", 22, 35, 14, 170),
    ("จ", 24, 40, 17, 220),
    ("ฉ", 30, 45, 20, 300),
    ("ช", 35, 50, 25, 380),
]


def ensure_reference_data(apps: Any) -> None:
    """Put back the default carriers, bands and boxes when none exist (after a migrate or a test flush)."""
    Carrier = apps.get_model("shipping", "Carrier")  # noqa: N806
    Service = apps.get_model("shipping", "Service")  # noqa: N806
    RateBand = apps.get_model("shipping", "RateBand")  # noqa: N806
    BoxSize = apps.get_model("shipping", "BoxSize")  # noqa: N806
    ShippingSettings = apps.get_model("shipping", "ShippingSettings")  # noqa: N806
    if Carrier.objects.exists():
        return

    post = Carrier.objects.create(
        code="thailandpost",
        kind="thailandpost",
        name_th="ไปรษณีย์ไทย",
        name_en="Thailand Post",
        # On from the start: parcel orders are priced by its published bands until the manager changes them.
        is_enabled=True,
        offers_cod=True,
        cod_fee=Decimal("0.00"),
        rates_source="Thailand Post domestic rates as reported by The Nation, 7 Jul 2022 (boxed parcels); EMS table",
        rates_as_of=date(2022, 7, 7),
        sort_order=1,
    )
    ems = Service.objects.create(
        carrier=post, code="ems", name_th="EMS ด่วนพิเศษ", name_en="EMS", days_min=1, days_max=3, max_grams=10000
    )
    registered = Service.objects.create(
        carrier=post,
        code="registered",
        name_th="พัสดุลงทะเบียน",
        name_en="Registered parcel",
        days_min=3,
        days_max=7,
        max_grams=20000,
    )
    RateBand.objects.bulk_create(
        [RateBand(service=ems, up_to_grams=grams, fee=Decimal(fee)) for grams, fee in EMS_BANDS]
        + [RateBand(service=registered, up_to_grams=grams, fee=Decimal(fee)) for grams, fee in REGISTERED_BANDS]
    )
    flash = Carrier.objects.create(
        code="flash", kind="flash", name_th="แฟลช เอ็กซ์เพรส", name_en="Flash Express", offers_cod=True, sort_order=2
    )
    Service.objects.create(
        carrier=flash, code="standard", name_th="ส่งธรรมดา", name_en="Standard", days_min=1, days_max=3, max_grams=50000
    )
    BoxSize.objects.bulk_create(
        [
            BoxSize(name=name, length_cm=long, width_cm=short, height_cm=high, packaging_grams=grams)
            for name, short, long, high, grams in BOXES
        ]
    )
    ShippingSettings.objects.get_or_create(pk=1)
