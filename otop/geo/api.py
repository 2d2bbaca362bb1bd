from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from otop.core.apitypes import LimitOffset
from otop.geo import selectors

router = Router(tags=["places"])


class PlaceOut(Schema):
    code: str
    name_th: str
    name_en: str


class SubdistrictOut(PlaceOut):
    postcodes: list[str]


@router.get("/places/provinces", response=list[PlaceOut], auth=None, summary="All provinces (paginated)")
@paginate(LimitOffset)
def list_provinces(request: HttpRequest):
    return selectors.provinces()


@router.get("/places/provinces/{code}/districts", response=list[PlaceOut], auth=None)
def list_districts(request: HttpRequest, code: Annotated[str, Field(pattern=r"^[0-9]{2}$")]):
    return list(selectors.districts_of(province_code=code))


@router.get("/places/districts/{code}/subdistricts", response=list[SubdistrictOut], auth=None)
def list_subdistricts(request: HttpRequest, code: Annotated[str, Field(pattern=r"^[0-9]{4}$")]):
    return [
        SubdistrictOut(code=s.code, name_th=s.name_th, name_en=s.name_en, postcodes=s.postcode_list)
        for s in selectors.subdistricts_of(district_code=code)
    ]
