"""Consignment intake (รับฝากขาย) and outright purchases from producers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Variant
from otop.core.services import record_audit_event
from otop.inventory.errors import CostPriceRequired, InvalidQuantity, WrongProducer
from otop.inventory.models import Intake, IntakeLine, Location, StockMove
from otop.inventory.services.stock import receive_stock


@dataclass(frozen=True)
class IntakeItem:
    variant: Variant
    quantity: int
    producer_price: Decimal | None = None
    commission_percent: Decimal | None = None
    cost_price: Decimal | None = None


@transaction.atomic
def record_intake(
    *,
    producer,
    items: list[IntakeItem],
    location: Location,
    actor: User | None,
    kind: str = Intake.Kind.CONSIGNMENT,
    note: str = "",
    received_at: datetime | None = None,
) -> Intake:
    """Record a delivery from a producer and put its items into stock (reference "intake:<number>")."""
    if not items:
        raise InvalidQuantity(0)
    foreign = [item.variant.sku for item in items if item.variant.product.producer_id != producer.pk]
    if foreign:
        raise WrongProducer(foreign, producer.name_th)
    if kind == Intake.Kind.PURCHASE:
        missing = [item.variant.sku for item in items if item.cost_price is None]
        if missing:
            raise CostPriceRequired(missing)
    intake = Intake.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:12]}",  # replaced by IN-<pk> below
        producer=producer,
        kind=kind,
        location=location,
        received_at=received_at or timezone.now(),
        received_by=actor,
        note=note,
    )
    intake.number = f"IN-{intake.pk:06d}"
    intake.save(update_fields=["number"])
    reason = StockMove.Reason.CONSIGNMENT_INTAKE if kind == Intake.Kind.CONSIGNMENT else StockMove.Reason.PURCHASE
    for item in items:
        receive_stock(
            variant=item.variant,
            location=location,
            quantity=item.quantity,
            actor=actor,
            reason=reason,
            reference=intake.reference,
        )
        IntakeLine.objects.create(
            intake=intake,
            variant=item.variant,
            quantity=item.quantity,
            producer_price=item.producer_price if kind == Intake.Kind.CONSIGNMENT else None,
            commission_percent=item.commission_percent if kind == Intake.Kind.CONSIGNMENT else None,
            cost_price=item.cost_price,
        )
    record_audit_event(
        actor=actor,
        action="inventory.intake_recorded",
        target=intake,
        summary=f"{intake.number} {producer.name_th}: {sum(i.quantity for i in items)}",
    )
    return intake
