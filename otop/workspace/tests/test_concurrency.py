"""No double booking under real concurrency: threads with their own database connections."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.core.selectors import PROFILE_CACHE_KEY
from otop.workspace.errors import SlotTaken
from otop.workspace.models import Booking
from otop.workspace.services import create_booking
from otop.workspace.tests.conftest import at
from otop.workspace.tests.factories import SpaceFactory

# Transactional (committed data, real locks) but without serialized_rollback: restoring the
# serialized reference data fails on SQLite after another transactional test's flush has
# re-created the role groups under new ids. These tests need no reference data: the center's
# opening hours come from a profile put in the shared cache, which every thread reads.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _center_open_8_to_18():
    from datetime import time

    from django.core.cache import cache

    cache.set(PROFILE_CACHE_KEY, CenterProfile(opens_at=time(8, 0), closes_at=time(18, 0)), 600)


def _book_concurrently(space, windows):
    """Book each (start, end) window in its own thread, all released at once; return the outcomes."""
    barrier = threading.Barrier(len(windows))
    outcomes: list[str] = [""] * len(windows)

    def book(index: int, starts_at, ends_at) -> None:
        try:
            barrier.wait(timeout=30)
            create_booking(space=space, starts_at=starts_at, ends_at=ends_at, name=f"Guest {index}", phone="0812345678")
            outcomes[index] = "booked"
        except SlotTaken:
            outcomes[index] = "taken"
        except Exception as error:  # noqa: BLE001 - any other failure fails the test below
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i, *window)) for i, window in enumerate(windows)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_twenty_concurrent_requests_for_overlapping_times_book_exactly_one():
    space = SpaceFactory(buffer_minutes=0)
    day = timezone.localdate() + timedelta(days=7)
    # Every window holds 10:30–11:00, so any two of them overlap.
    shapes = [(10, 0, 12, 0), (10, 30, 11, 30), (9, 30, 11, 0), (10, 30, 12, 30), (10, 0, 11, 0)]
    windows = [(at(day, h1, m1), at(day, h2, m2)) for h1, m1, h2, m2 in (shapes * 4)]

    outcomes = _book_concurrently(space, windows)

    assert outcomes.count("booked") == 1, outcomes
    assert outcomes.count("taken") == 19, outcomes
    assert Booking.objects.filter(space=space).count() == 1


def test_concurrent_back_to_back_bookings_all_succeed():
    space = SpaceFactory(buffer_minutes=0)
    day = timezone.localdate() + timedelta(days=7)
    windows = [(at(day, 8 + 2 * n), at(day, 10 + 2 * n)) for n in range(5)]  # 08–10, 10–12, … 16–18

    outcomes = _book_concurrently(space, windows)

    assert outcomes == ["booked"] * 5
    assert Booking.objects.filter(space=space).count() == 5


def test_buffer_time_counts_under_concurrency():
    space = SpaceFactory(buffer_minutes=30)
    day = timezone.localdate() + timedelta(days=7)
    # 10–12 keeps the room until 12:30, so 12:00–13:00 clashes with it and 12:30–13:30 does not.
    windows = [(at(day, 10), at(day, 12)), (at(day, 12), at(day, 13))]
    outcomes = _book_concurrently(space, windows)
    assert sorted(outcomes) == ["booked", "taken"]
    later = create_booking(
        space=space, starts_at=at(day, 14, 30), ends_at=at(day, 15, 30), name="A", phone="0812345678"
    )
    assert later.occupied_until == at(day, 16)


def test_postgresql_exclusion_constraint_refuses_an_overlap_written_past_the_services():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only; SQLite relies on the locked check")
    space = SpaceFactory(buffer_minutes=15)
    day = timezone.localdate() + timedelta(days=7)
    first = create_booking(space=space, starts_at=at(day, 10), ends_at=at(day, 12), name="A", phone="0812345678")
    with pytest.raises(IntegrityError, match="booking_no_overlap_on_space"), transaction.atomic():
        Booking.objects.create(
            space=space, reference="WSRAW0001", token="x" * 40, starts_at=at(day, 12), ends_at=at(day, 13),
            occupied_until=at(day, 13, 15), price_per_hour=0, amount_due=0,
        )  # fmt: skip
    # A cancelled booking no longer holds its time.
    Booking.objects.filter(pk=first.pk).update(status=Booking.Status.CANCELLED)
    Booking.objects.create(
        space=space, reference="WSRAW0002", token="y" * 40, starts_at=at(day, 11), ends_at=at(day, 12),
        occupied_until=at(day, 12, 15), price_per_hour=0, amount_due=0,
    )  # fmt: skip
    assert Booking.objects.filter(space=space).count() == 2
