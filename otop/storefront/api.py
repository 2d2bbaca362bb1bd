"""Search for integrations: GET /api/v1/search?q=&limit= (the same search as the site)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from otop.core.apitypes import Limit, Text
from otop.core.i18n import localized
from otop.search.selectors import SearchFilters
from otop.search.selectors import search as search_catalogue
from otop.storefront.links import product_url

router = Router(tags=["search"])


class SearchHitOut(Schema):
    code: str
    sku: str
    name: str
    name_th: str
    name_en: str
    price: Decimal | None
    category: str
    district: str
    url: str
    score: float
    query: str = Field(
        description="The query this hit answers: as typed, or its spelling correction when the typed one found "
        "too little (then `corrected` is true and the site says “Did you mean …”)."
    )
    corrected: bool = Field(description="Whether `query` is a correction of the typed query.")


class SearchParams(Schema):
    q: Text(200)
    limit: Limit(100) = 20
    offset: Annotated[int, Field(ge=0, le=1000)] = 0
    category: Text(30) = ""
    district: Text(4, pattern=r"^$|^[0-9]{4}$") = ""


def hits_out(request: HttpRequest, params: SearchParams) -> list[SearchHitOut]:
    result = search_catalogue(
        params.q,
        limit=params.limit,
        offset=params.offset,
        filters=SearchFilters(category=params.category, district=params.district),
    )
    return [
        SearchHitOut(
            code=hit.product.code,
            sku=hit.product.sku,
            name=localized(hit.product, "name"),
            name_th=hit.product.name_th,
            name_en=hit.product.name_en,
            price=hit.price,
            category=hit.product.category.code,
            district=hit.product.producer.district_id,
            url=request.build_absolute_uri(product_url(hit.product.code)),
            score=round(hit.score, 4),
            query=result.query,
            corrected=result.is_corrected,
        )
        for hit in result.hits
    ]


@router.get("/search", response=list[SearchHitOut], auth=None, summary="Search products (Thai or English), best first")
def search(request: HttpRequest, params: Query[SearchParams]):
    return hits_out(request, params)
