"""POST /api/v1/pos/sales is idempotent by the device's sale id."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.inventory.tests.factories import VariantFactory
from otop.pos.models import Sale
from otop.pos.tests.factories import RegisterFactory

pytestmark = pytest.mark.django_db


def test_the_same_sale_posted_twice_is_recorded_once(client_for):
    client = client_for("cashier")
    RegisterFactory()
    silk = VariantFactory(price=Decimal("99.75"), barcode="2000000000015")
    stock_services.receive_stock(variant=silk, location=stock_selectors.location("shop"), quantity=3, actor=None)
    shift = client.post("/api/v1/pos/registers/shop/shifts", {"starting_cash": "100.00"},
                        content_type="application/json").json()  # fmt: skip
    blocks = client.post("/api/v1/pos/registers/shop/number-blocks", {"device_id": "d1"},
                         content_type="application/json").json()  # fmt: skip
    assert blocks == {"blocks": [{"first": 1, "last": 50}], "used": []}
    assert client.get("/api/v1/pos/lookup?code=2000000000015").json()["price"] == "99.75"
    body = {
        "register_code": "shop",
        "device_sale_id": str(uuid.uuid4()),
        "shift_id": shift["id"],
        "receipt_number": 1,
        "lines": [{"variant_id": silk.pk, "quantity": 2, "unit_price": "99.75"}],
        "payments": [{"method": "cash", "amount": "199.50", "tendered": "200.00"}],
    }
    first = client.post("/api/v1/pos/sales", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="th")
    again = client.post("/api/v1/pos/sales", body, content_type="application/json")
    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["receipt_code"] == again.json()["receipt_code"] == "S1-000001"
    assert first.json()["change_due"] == "0.50"
    assert again.json()["replayed"] is True
    assert Sale.objects.count() == 1
    assert stock_selectors.on_hand(variant_id=silk.pk, location_code="shop") == 1
    short = client.post(
        "/api/v1/pos/sales",
        {**body, "device_sale_id": str(uuid.uuid4()), "receipt_number": 2},
        content_type="application/json",
    )
    assert short.status_code == 409
    assert short.json()["error"]["code"] == "out_of_stock"
    assert Sale.objects.count() == 1
