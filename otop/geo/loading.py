"""Load or refresh the reference places from the geothai package (idempotent)."""

from __future__ import annotations

import geothai


def load_places(Province, District, Subdistrict) -> int:  # noqa: N803 - model classes
    """Insert or update every province, district and subdistrict; return the subdistrict count."""
    provinces = [Province(code=p.code, name_th=p.name_th, name_en=p.name_en) for p in geothai.provinces()]
    Province.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name_th", "name_en"]
    )
    districts = []
    subdistricts = []
    for province in provinces:
        for district in geothai.districts(province.code):
            districts.append(
                District(
                    code=district.code,
                    province_id=province.code,
                    name_th=district.name_th,
                    name_en=district.name_en,
                )
            )
            for sub in geothai.subdistricts(district.code):
                subdistricts.append(
                    Subdistrict(
                        code=sub.code,
                        district_id=district.code,
                        name_th=sub.name_th,
                        name_en=sub.name_en,
                        postcodes=" ".join(sub.postal_codes),
                    )
                )
    District.objects.bulk_create(
        districts,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name_th", "name_en"],
    )
    Subdistrict.objects.bulk_create(
        subdistricts,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["district", "name_th", "name_en", "postcodes"],
    )
    return len(subdistricts)
