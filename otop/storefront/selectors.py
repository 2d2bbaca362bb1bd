"""Reads for the public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from otop.catalog.models import Category
from otop.catalog.selectors import categories_with_listed_counts
from otop.core.models import OpeningException
from otop.core.selectors import OpeningHours, opening_hours_on, upcoming_opening_exceptions


@dataclass(frozen=True)
class HomePage:
    categories: list[Category]
    today: OpeningHours | None
    exceptions: list[OpeningException]


def home_page() -> HomePage:
    today = timezone.localdate()
    return HomePage(
        categories=list(categories_with_listed_counts()),
        today=opening_hours_on(today),
        exceptions=upcoming_opening_exceptions(today=today),
    )
