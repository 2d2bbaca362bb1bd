from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from otop.workspace.models import Booking
from otop.workspace.services import create_booking
from otop.workspace.tests.conftest import at
from otop.workspace.tests.factories import SpaceFactory
from tests.role_matrix import assert_answer, matrix_cases

MATRIX = {
    "/workspace/": ["in", "in", "in", "in", "in", "in", "in"],
    "/workspace/meeting-room/": ["in", "in", "in", "in", "in", "in", "in"],
    "/api/v1/workspace/spaces": ["in", "in", "in", "in", "in", "in", "in"],
    "/workspace/staff/": ["login", "403", "403", "403", "403", "in", "in"],
    "/workspace/staff/book/meeting-room/": ["login", "403", "403", "403", "403", "in", "in"],
    "/workspace/staff/utilisation/": ["login", "403", "403", "403", "403", "in", "in"],
    "/workspace/staff/wifi/": ["login", "403", "403", "403", "403", "403", "in"],
}


@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(MATRIX))
def test_role_matrix(client_for, path, role, expected):
    SpaceFactory(slug="meeting-room")
    assert_answer(client_for(role).get(path), expected)


@pytest.mark.parametrize(
    ("role", "expected"), [(None, "login"), ("customer", "403"), ("cashier", "403"), ("staff", "in"), ("manager", "in")]
)
def test_staff_booking_page(client_for, role, expected):
    space = SpaceFactory()
    day = timezone.localdate() + timedelta(days=1)
    booking = create_booking(space=space, starts_at=at(day, 10), ends_at=at(day, 11), name="A", phone="0812345678")
    assert_answer(client_for(role).get(f"/workspace/staff/bookings/{booking.pk}/"), expected)


@pytest.mark.parametrize("role", [None, "customer", "producer", "cashier"])
def test_refused_roles_cannot_check_in_and_nothing_changes(client_for, role):
    space = SpaceFactory()
    day = timezone.localdate()
    booking = Booking.objects.create(
        space=space, reference="WSTEST0001", token="t" * 43, starts_at=at(day, 23), ends_at=at(day, 23, 30),
        occupied_until=at(day, 23, 30), price_per_hour=0, amount_due=0,
    )  # fmt: skip
    response = client_for(role).post(f"/workspace/staff/bookings/{booking.pk}/check-in")
    assert response.status_code in (302, 403)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
