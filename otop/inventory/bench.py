"""Reserving and committing a 5-line order (goal: under 20 ms server time with 100,000 products)."""

from __future__ import annotations

import uuid

from bench.harness import Context, TimedCase
from otop.catalog.models import Variant

LINES = 5


def timed_cases(context: Context) -> list[TimedCase]:
    state: dict = {}

    def setup() -> None:
        from otop.inventory import selectors, services

        online = selectors.location("online")
        variants = list(Variant.objects.order_by("-pk")[:LINES])
        for variant in variants:
            services.receive_stock(
                variant=variant, location=online, quantity=100_000, actor=None, reference="bench:stock"
            )
        state["ids"] = [v.pk for v in variants]
        state["run"] = uuid.uuid4().hex[:8]

    def run(iteration: int) -> None:
        from otop.inventory import services

        reservation = services.reserve_stock(
            items=[(variant_id, 1) for variant_id in state["ids"]],
            reference=f"bench:{state['run']}:{iteration}",
            expires_at=None,
        )
        services.commit_reservation(reservation=reservation)

    return [
        TimedCase(
            name=f"reserve+commit {LINES}-line order",
            run=run,
            setup=setup,
            iterations=200,
            goal="< 20 ms",
        )
    ]
