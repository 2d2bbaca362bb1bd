"""Reference data that migrations create (places, categories, the center, stock locations...).

Each app that has such data keeps it in otop/<app>/reference.py as
`ensure_reference_data(apps)`, using `apps.get_model()`, and calls it from its data migration.
After every `migrate` and every test-database flush the same functions run again through
post_migrate, so data a transactional test flushed away comes back (cheaply: each function
returns at once when its rows exist).
"""

from __future__ import annotations

from typing import Any


def ensure_all_reference_data(apps: Any) -> None:
    from otop.core.discovery import feature_modules

    for module in feature_modules("reference"):
        module.ensure_reference_data(apps)


KHON_KAEN = "40"


def ensure_reference_data(apps: Any) -> None:
    """The first center is Khon Kaen's; the manager edits every field afterwards."""
    CenterProfile = apps.get_model("core", "CenterProfile")  # noqa: N806
    if CenterProfile.objects.filter(pk=1).exists():
        return
    CenterProfile.objects.create(
        pk=1,
        name_th="ศูนย์ส่งเสริมและพัฒนาสินค้า OTOP จังหวัดขอนแก่น",
        name_en="Khon Kaen OTOP Promotion and Development Center",
        legal_name_th="บริษัท ขอนแก่น โอทอป อินเตอร์ เทรดเดอร์ จำกัด",
        legal_name_en="Khon Kaen OTOP Inter Trader Co., Ltd.",
        address_th="อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000",
        address_en="Mueang Khon Kaen, Khon Kaen 40000",
        province_id=KHON_KAEN,
    )
