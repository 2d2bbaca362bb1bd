"""Stock over the API: levels, movements, intakes and settlements (permission-checked)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from otop.accounts.api_auth import require_permission, signed_in
from otop.core.apitypes import Id, Limit, Offset, Text, errors
from otop.inventory import selectors
from otop.inventory.models import Intake, Settlement

router = Router(tags=["inventory"], auth=signed_in)


class StockLevelOut(Schema):
    variant_id: int
    sku: str
    location: str
    on_hand: int
    reserved: int
    available: int


class LevelFilter(Schema):
    q: Text(100) = ""
    location: Text(20) = ""
    limit: Limit(500) = 100
    offset: Offset = 0


@router.get("/inventory/levels", response=list[StockLevelOut], summary="Stock levels per item and location")
def levels(request, filters: Query[LevelFilter]):
    require_permission(request, "inventory.view_stocklevel")
    rows = selectors.stock_levels(query=filters.q, location_code=filters.location)[
        filters.offset : filters.offset + filters.limit
    ]
    return [
        StockLevelOut(
            variant_id=level.variant_id,
            sku=level.variant.sku,
            location=level.location.code,
            on_hand=level.on_hand,
            reserved=level.reserved,
            available=level.available,
        )
        for level in rows
    ]


class AvailabilityOut(Schema):
    variant_id: int
    available: int


@router.get("/inventory/available", response=list[AvailabilityOut], summary="Units that can be sold online")
def available(request, variant: Query[list[Id]]):
    require_permission(request, "inventory.view_stocklevel")
    quantities = selectors.available_quantities(variant_ids=variant[:500])
    return [AvailabilityOut(variant_id=k, available=v) for k, v in quantities.items()]


class MoveOut(Schema):
    id: int
    created_at: datetime
    reason: str
    sku: str
    from_location: str | None
    to_location: str | None
    quantity: int
    reference: str


@router.get("/inventory/moves", response=list[MoveOut], summary="The stock ledger, newest first")
def moves(request, q: Text(100) = "", limit: Limit(500) = 100):
    require_permission(request, "inventory.view_stockmove")
    return [
        MoveOut(
            id=move.pk,
            created_at=move.created_at,
            reason=move.reason,
            sku=move.variant.sku,
            from_location=move.from_location.code if move.from_location else None,
            to_location=move.to_location.code if move.to_location else None,
            quantity=move.quantity,
            reference=move.reference,
        )
        for move in selectors.recent_moves(query=q, limit=limit)
    ]


class IntakeLineOut(Schema):
    sku: str
    quantity: int
    producer_price: Decimal | None
    commission_percent: Decimal | None
    cost_price: Decimal | None


class IntakeOut(Schema):
    number: str
    producer_id: int
    kind: str
    location: str
    received_at: datetime
    lines: list[IntakeLineOut]


def _intake_out(intake: Intake) -> IntakeOut:
    return IntakeOut(
        number=intake.number,
        producer_id=intake.producer_id,
        kind=intake.kind,
        location=intake.location.code,
        received_at=intake.received_at,
        lines=[
            IntakeLineOut(
                sku=line.variant.sku,
                quantity=line.quantity,
                producer_price=line.producer_price,
                commission_percent=line.commission_percent,
                cost_price=line.cost_price,
            )
            for line in intake.lines.all()
        ],
    )


@router.get("/inventory/intakes", response=list[IntakeOut], summary="Deliveries from producers, newest first")
def intakes(request, limit: Limit(200) = 50):
    require_permission(request, "inventory.view_intake")
    rows = Intake.objects.select_related("location").prefetch_related("lines__variant")[:limit]
    return [_intake_out(intake) for intake in rows]


@router.get("/inventory/intakes/{number}", response={200: IntakeOut, **errors(404)}, summary="One delivery")
def intake(request, number: Text(20)):
    require_permission(request, "inventory.view_intake")
    return _intake_out(get_object_or_404(Intake.objects.select_related("location"), number=number))


class SettlementLineOut(Schema):
    sku: str
    name: str
    units_sold: int
    units_returned: int
    gross_sales: Decimal
    returns: Decimal
    commission: Decimal
    net_payable: Decimal


class SettlementOut(Schema):
    number: str
    producer_id: int
    period_start: date
    period_end: date
    status: str
    units_sold: int
    gross_sales: Decimal
    returns: Decimal
    commission: Decimal
    net_payable: Decimal
    paid_at: datetime | None
    lines: list[SettlementLineOut]


def _settlement_out(settlement: Settlement) -> SettlementOut:
    return SettlementOut(
        number=settlement.number,
        producer_id=settlement.producer_id,
        period_start=settlement.period_start,
        period_end=settlement.period_end,
        status=settlement.status,
        units_sold=settlement.units_sold,
        gross_sales=settlement.gross_sales,
        returns=settlement.returns,
        commission=settlement.commission,
        net_payable=settlement.net_payable,
        paid_at=settlement.paid_at,
        lines=[
            SettlementLineOut(
                sku=line.sku,
                name=line.name,
                units_sold=line.units_sold,
                units_returned=line.units_returned,
                gross_sales=line.gross_sales,
                returns=line.returns,
                commission=line.commission,
                net_payable=line.net_payable,
            )
            for line in settlement.lines.all()
        ],
    )


def _visible_settlements(request):
    """Staff with the permission see all; a producer sees only its own."""
    if request.user.has_perm("inventory.view_settlement"):
        return Settlement.objects.all()
    require_permission(request, "accounts.use_producer_portal")
    return Settlement.objects.filter(producer__user=request.user)


@router.get("/inventory/settlements", response=list[SettlementOut], summary="Producer settlements")
def settlements(request, limit: Limit(200) = 50):
    rows = _visible_settlements(request).prefetch_related("lines")[:limit]
    return [_settlement_out(s) for s in rows]


@router.get("/inventory/settlements/{number}", response={200: SettlementOut, **errors(404)}, summary="One settlement")
def settlement(request, number: Text(20)):
    return _settlement_out(get_object_or_404(_visible_settlements(request), number=number))
