"""The reports' API: sales of a Buddhist-era year grouped one way, and the targets (manager, province officer).

Amounts are strings of baht to the satang (VAT included, net of discounts, returns taken off); `net_excl_vat`
leaves the VAT out. `outside_sales` are producers' own reported sales outside the center, never included in `net`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from otop.accounts.api_auth import require_permission, signed_in
from otop.core.apitypes import errors
from otop.reports import selectors
from otop.reports.models import Target

router = Router(tags=["reports"], auth=signed_in)

VIEW = "reports.view_sales_reports"


class SalesQuery(Schema):
    year: int = Field(..., ge=2500, le=2700, description="Buddhist-era year, e.g. 2569")
    group_by: Literal["district", "category", "channel", "producer", "month"] = "month"
    first_month: int = Field(1, ge=1, le=12)
    last_month: int = Field(12, ge=1, le=12)
    channel: str = Field("", max_length=12, pattern=r"^[a-z_]*$")
    district: str = Field("", max_length=4, pattern=r"^[0-9]*$")


class SalesRowOut(Schema):
    key: str
    name: str
    net: Decimal
    vat: Decimal
    net_excl_vat: Decimal
    quantity: int
    returns: Decimal
    target: Decimal | None
    last_year: Decimal | None
    outside_sales: Decimal


class SalesOut(Schema):
    year: int
    group_by: str
    first_month: int
    last_month: int
    net: Decimal
    vat: Decimal
    net_excl_vat: Decimal
    target: Decimal | None
    forecast: Decimal | None = Field(description="Run-rate forecast to the period's end")
    outside_sales: Decimal
    rows: list[SalesRowOut]


class TargetQuery(Schema):
    year: int = Field(..., ge=2500, le=2700, description="Buddhist-era year, e.g. 2569")


class TargetOut(Schema):
    year: int
    month: int = Field(description="0 for the whole year")
    scope: Literal["center", "province"]
    dimension: Literal["total", "district", "category", "channel", "producer"]
    key: str
    amount: Decimal
    note: str


@router.get(
    "/reports/sales",
    response={200: SalesOut, **errors(400, 401, 403)},
    summary="Sales of a year grouped by district, category, channel, producer or month",
    description="401 without sign-in; 403 without the right to see sales reports; 400 for a value out of bounds.",
)
def sales(request: HttpRequest, query: Query[SalesQuery]):
    require_permission(request, VIEW)
    first, last = sorted((query.first_month, query.last_month))
    filters = selectors.Filters(year=query.year, first_month=first, last_month=last, channel=query.channel,
                                district_code=query.district)  # fmt: skip
    figures, rows = selectors.cached(
        "api-sales", lambda: (selectors.summary(filters), selectors.sales_by(query.group_by, filters, limit=None)),
        filters, query.group_by,
    )  # fmt: skip
    return {
        "year": query.year, "group_by": query.group_by, "first_month": first, "last_month": last,
        "net": figures.net, "vat": figures.vat, "net_excl_vat": figures.net_ex_vat, "target": figures.target,
        "forecast": figures.forecast, "outside_sales": figures.outside,
        "rows": [
            {"key": row.key, "name": row.label, "net": row.net, "vat": row.vat, "net_excl_vat": row.net_ex_vat,
             "quantity": row.quantity, "returns": row.returns, "target": row.target, "last_year": row.last_year,
             "outside_sales": row.outside}
            for row in rows
        ],
    }  # fmt: skip


@router.get(
    "/reports/targets",
    response={200: list[TargetOut], **errors(400, 401, 403)},
    summary="The sales targets of a year",
    description="401 without sign-in; 403 without the right to see sales reports; 400 for a year out of bounds.",
)
def targets(request: HttpRequest, query: Query[TargetQuery]):
    require_permission(request, VIEW)
    return [
        {"year": t.year, "month": t.month, "scope": t.scope, "dimension": t.dimension, "key": t.key,
         "amount": t.amount, "note": t.note}
        for t in Target.objects.filter(year=query.year).order_by("scope", "dimension", "key", "month")
    ]  # fmt: skip
