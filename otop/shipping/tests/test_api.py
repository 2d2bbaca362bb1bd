from __future__ import annotations

from decimal import Decimal

from otop.orders.models import Order
from otop.shipping.models import Shipment

ADDRESS = {
    "line1": "99 ถนนมิตรภาพ",
    "subdistrict": "Nai Mueang",
    "district": "เมืองขอนแก่น",
    "province": "Khon Kaen",
    "postcode": "40000",
}


def _order(delivery: dict) -> dict:
    return {
        "items": [{"sku": "SILK-1", "qty": 1}, {"sku": "RICE-1", "qty": 2}],
        "customer": {"name": "สมชาย ใจดี", "phone": "0812223333"},
        "delivery": delivery,
        "payment_method": "promptpay",
    }


def test_quotes_api_answers_every_enabled_service_cheapest_first(client, shop, van):
    body = {"items": [{"sku": "SILK-1", "qty": 1}, {"sku": "RICE-1", "qty": 2}], "address": {"postcode": "40000"}}
    response = client.post("/api/v1/shipping/quotes", body, content_type="application/json")
    assert response.status_code == 200
    assert [(q["carrier"], q["service"], q["fee"], q["days"]) for q in response.json()] == [
        ("van", "sameday", "45.00", "0-1"),
        ("thailandpost", "registered", "50.00", "3-7"),
        ("thailandpost", "ems", "122.00", "1-3"),
    ]


def test_quotes_api_refuses_unknown_items_and_goods_without_weight(client, shop):
    unknown = {"items": [{"sku": "NOPE", "qty": 1}], "address": {"postcode": "40000"}}
    response = client.post("/api/v1/shipping/quotes", unknown, content_type="application/json")
    assert response.status_code == 409 and "items.0.sku" in response.json()["error"]["fields"]
    unweighed = {"items": [{"sku": "CLOTH-1", "qty": 1}], "address": {"postcode": "40000"}}
    response = client.post(
        "/api/v1/shipping/quotes", unweighed, content_type="application/json", HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "missing_weight"
    assert "ยังส่งพัสดุไม่ได้" in response.json()["error"]["message"]
    bad = {"items": [{"sku": "SILK-1", "qty": 1}], "address": {"postcode": "4000"}}
    assert client.post("/api/v1/shipping/quotes", bad, content_type="application/json").status_code == 400


def test_the_order_api_charges_the_chosen_carrier_and_service(client, shop, van):
    delivery = {"method": "parcel", "address": ADDRESS, "carrier": "thailandpost", "service": "ems"}
    response = client.post("/api/v1/orders", _order(delivery), content_type="application/json")
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (order.delivery_fee, order.total) == (Decimal("122.00"), Decimal("1533.00"))
    assert Shipment.objects.get().service.option == "thailandpost:ems"


def test_the_order_api_refuses_a_service_not_offered_and_places_nothing(client, shop):
    delivery = {"method": "parcel", "address": ADDRESS, "carrier": "van", "service": "sameday"}
    response = client.post("/api/v1/orders", _order(delivery), content_type="application/json")
    assert response.status_code == 409
    assert "delivery.option" in response.json()["error"]["fields"]
    assert not Order.objects.exists() and not Shipment.objects.exists()
