"""Demo data: the demo products are bulk-created (no signals), so index what is missing."""

from __future__ import annotations

from otop.search.services import index_missing_products


def seed(*, products: int, seed: int) -> None:
    index_missing_products()
