from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from otop.workspace.tests.factories import SpaceFactory

# A fixed "now": Monday 1 June 2026, 09:00 in Bangkok.
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
TOMORROW = date(2026, 6, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def room(db):
    return SpaceFactory(slug="meeting-room", name_th="ห้องประชุม", name_en="Meeting room")


@pytest.fixture
def next_week():
    return timezone.localdate() + timedelta(days=7)
