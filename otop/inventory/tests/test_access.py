"""Inventory's rows of the role matrix (docs/roles.md), pages and API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from otop.inventory import services
from otop.inventory.tests.factories import ProducerFactory, VariantFactory
from tests.role_matrix import assert_answer, matrix_cases

STAFF_PAGE = ["login", "403", "403", "403", "403", "in", "in"]
MANAGER_PAGE = ["login", "403", "403", "403", "403", "403", "in"]
PRODUCER_PAGE = ["login", "403", "in", "403", "403", "403", "403"]
STAFF_API = ["401", "403", "403", "403", "403", "in", "in"]

MATRIX = {
    "/inventory/": STAFF_PAGE,
    "/inventory/moves/": STAFF_PAGE,
    "/inventory/transfer/": STAFF_PAGE,
    "/inventory/baskets/": STAFF_PAGE,
    "/inventory/intakes/": STAFF_PAGE,
    "/inventory/intakes/new/": STAFF_PAGE,
    "/inventory/stocktakes/": STAFF_PAGE,
    "/inventory/low-stock/": STAFF_PAGE,
    "/inventory/commissions/": MANAGER_PAGE,
    "/inventory/settlements/": STAFF_PAGE,
    "/inventory/settlements/export.csv": MANAGER_PAGE,
    "/inventory/my/": PRODUCER_PAGE,
    "/inventory/my/statements/": PRODUCER_PAGE,
    "/api/v1/inventory/levels": STAFF_API,
    "/api/v1/inventory/moves": STAFF_API,
    "/api/v1/inventory/intakes": STAFF_API,
    "/api/v1/inventory/settlements": ["401", "403", "in", "403", "403", "in", "in"],
}
CASES = matrix_cases(MATRIX)


@pytest.fixture
def client_as(make_user):
    """Like client_for, but a producer account is linked to a producer, as in the portal."""

    def make(role):
        client = Client()
        if role is not None:
            user = make_user(role)
            if role == "producer":
                ProducerFactory(user=user)
            client.force_login(user)
        return client

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_inventory_role_matrix(client_as, path, role, expected):
    assert_answer(client_as(role).get(path), expected)


@pytest.mark.django_db
def test_refused_writes_change_nothing(client_for):
    from otop.inventory.models import Settlement, Stocktake

    variant = VariantFactory()
    services.record_sale_lines(lines=[(variant.pk, 1, Decimal("10.00"))], reference="o", channel="web")
    staff = client_for("staff")
    month = timezone.localdate().replace(day=1).strftime("%Y-%m")
    assert staff.post("/inventory/settlements/", {"month": month}).status_code == 403
    assert client_for("cashier").post("/inventory/stocktakes/", {"location": "shop"}).status_code == 403
    assert (Settlement.objects.count(), Stocktake.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_api_gives_levels_and_a_producer_only_its_own_settlements(client_for, make_user):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from otop.inventory import selectors

    variant, other = VariantFactory(), VariantFactory()
    services.receive_stock(variant=variant, location=selectors.location("shop"), quantity=4, actor=None)
    levels = client_for("staff").get(f"/api/v1/inventory/levels?q={variant.sku}").json()
    assert levels == [
        {"variant_id": variant.pk, "sku": variant.sku, "location": "shop", "on_hand": 4, "reserved": 0, "available": 4}
    ]
    when = datetime(2026, 10, 5, tzinfo=ZoneInfo("Asia/Bangkok"))
    for v, ref in ((variant, "a"), (other, "b")):
        services.record_sale_lines(lines=[(v.pk, 1, Decimal("100.00"))], reference=ref, channel="web", sold_at=when)
        services.create_settlement(producer=v.product.producer, period_start=date(2026, 10, 1))
    user = make_user("producer")
    variant.product.producer.user = user
    variant.product.producer.save()
    client = Client()
    client.force_login(user)
    rows = client.get("/api/v1/inventory/settlements").json()
    assert [(r["producer_id"], r["net_payable"]) for r in rows] == [(variant.product.producer_id, "80.00")]
    number = rows[0]["number"]
    other_number = f"ST-202610-{other.product.producer_id:05d}"
    assert client.get(f"/api/v1/inventory/settlements/{number}").status_code == 200
    assert client.get(f"/api/v1/inventory/settlements/{other_number}").status_code == 404
