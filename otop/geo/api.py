from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from otop.geo import selectors

router = Router(tags=["places"])


class PlaceOut(Schema):
    code: str
    name_th: str
    name_en: str


class SubdistrictOut(PlaceOut):
    postcodes: list[str]


@router.get("/places/provinces", response=list[PlaceOut], auth=None, summary="All provinces (paginated)")
@paginate(LimitOffsetPagination)
def list_provinces(request: HttpRequest):
    return selectors.provinces()


@router.get("/places/provinces/{code}/districts", response=list[PlaceOut], auth=None)
def list_districts(request: HttpRequest, code: str):
    return list(selectors.districts_of(province_code=code))


@router.get("/places/districts/{code}/subdistricts", response=list[SubdistrictOut], auth=None)
def list_subdistricts(request: HttpRequest, code: str):
    return [
        SubdistrictOut(code=s.code, name_th=s.name_th, name_en=s.name_en, postcodes=s.postcode_list)
        for s in selectors.subdistricts_of(district_code=code)
    ]
