"""Prove the stock levels equal the sum of the ledger, and the held quantities equal open reservations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from otop.inventory.models import Reservation, ReservationLine, StockLevel, StockMove


@dataclass(frozen=True)
class LedgerMismatch:
    variant_id: int
    location_id: int
    field: str
    recorded: int
    expected: int


def ledger_mismatches() -> list[LedgerMismatch]:
    expected_on_hand: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        StockMove.objects.filter(to_location__isnull=False)
        .values("variant_id", "to_location_id")
        .annotate(total=Sum("quantity"))
    ):
        expected_on_hand[(row["variant_id"], row["to_location_id"])] += row["total"]
    for row in (
        StockMove.objects.filter(from_location__isnull=False)
        .values("variant_id", "from_location_id")
        .annotate(total=Sum("quantity"))
    ):
        expected_on_hand[(row["variant_id"], row["from_location_id"])] -= row["total"]
    expected_reserved: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        ReservationLine.objects.filter(reservation__status=Reservation.Status.ACTIVE)
        .values("variant_id", "location_id")
        .annotate(total=Sum("quantity"))
    ):
        expected_reserved[(row["variant_id"], row["location_id"])] = row["total"]

    mismatches = []
    seen = set()
    for level in StockLevel.objects.all().iterator():
        key = (level.variant_id, level.location_id)
        seen.add(key)
        if level.on_hand != expected_on_hand.get(key, 0):
            mismatches.append(LedgerMismatch(*key, "on_hand", level.on_hand, expected_on_hand.get(key, 0)))
        if level.reserved != expected_reserved.get(key, 0):
            mismatches.append(LedgerMismatch(*key, "reserved", level.reserved, expected_reserved.get(key, 0)))
    for key, quantity in expected_on_hand.items():
        if key not in seen and quantity != 0:
            mismatches.append(LedgerMismatch(*key, "on_hand", 0, quantity))
    return mismatches
