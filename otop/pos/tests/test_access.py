"""Who may use the till: pages and API calls by role."""

from __future__ import annotations

import pytest

from otop.pos.tests.factories import RegisterFactory
from tests.role_matrix import assert_answer, matrix_cases

PAGES = {
    "/pos/": ["login", "403", "403", "403", "in", "403", "in"],
    "/pos/shop/": ["login", "403", "403", "403", "in", "403", "in"],
    "/en/pos/shop/": ["login", "403", "403", "403", "in", "403", "in"],
    "/pos/catalog.json": ["login", "403", "403", "403", "in", "403", "in"],
    "/pos/review/": ["login", "403", "403", "403", "403", "403", "in"],
    "/pos/sw.js": ["in", "in", "in", "in", "in", "in", "in"],
}

API = {
    "/api/v1/pos/lookup?code=0000000000000": ["401", "403", "403", "403", "404", "403", "404"],
    "/api/v1/pos/search?q=x": ["401", "403", "403", "403", "in", "403", "in"],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(PAGES) + matrix_cases(API))
def test_till_pages_and_calls_by_role(client_for, path, role, expected):
    RegisterFactory()
    assert_answer(client_for(role).get(path), expected)


@pytest.mark.django_db
def test_a_customer_cannot_record_a_sale_or_open_a_shift(client_for):
    from otop.pos.models import Sale, Shift

    client = client_for("customer")
    RegisterFactory()
    answer = client.post("/api/v1/pos/registers/shop/shifts", {"starting_cash": "0"}, content_type="application/json")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert not Shift.objects.exists()
    assert not Sale.objects.exists()


@pytest.mark.django_db
def test_the_service_worker_is_served_with_its_scope(client):
    answer = client.get("/pos/sw.js")
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/pos/"
