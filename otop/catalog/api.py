from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from otop.catalog.selectors import categories_with_listed_counts
from otop.core.i18n import localized

router = Router(tags=["catalog"])


class CategoryOut(Schema):
    code: str
    name: str
    name_th: str
    name_en: str
    listed_products: int


@router.get("/categories", response=list[CategoryOut], auth=None, summary="The product categories")
def list_categories(request: HttpRequest):
    return [
        CategoryOut(
            code=c.code,
            name=localized(c, "name"),
            name_th=c.name_th,
            name_en=c.name_en,
            listed_products=c.listed_count,
        )
        for c in categories_with_listed_counts()
    ]
