from decimal import Decimal

import pytest

from otop.inventory import selectors as stock
from otop.inventory.models import Reservation, StockLevel
from otop.orders.models import Order, OrderNumberCounter
from otop.payments.models import Payment
from otop.payments.promptpay import parse_payload


def order_body(**changes):
    body = {
        "items": [{"sku": "SILK-1", "qty": 1}, {"sku": "RICE-1", "qty": 2}],
        "customer": {"name": "สมชาย ใจดี", "phone": "0812223333", "email": "somchai@example.com"},
        "delivery": {
            "method": "parcel",
            "address": {
                "line1": "99 ถนนมิตรภาพ",
                "subdistrict": "Nai Mueang",
                "district": "เมืองขอนแก่น",
                "province": "Khon Kaen",
                "postcode": "40000",
            },
        },
        "payment_method": "promptpay",
    }
    body.update(changes)
    return body


def assert_nothing_left_behind():
    assert not Order.objects.exists()
    assert not Reservation.objects.exists()
    assert not Payment.objects.exists()
    assert sum(StockLevel.objects.values_list("reserved", flat=True)) == 0
    assert OrderNumberCounter.objects.filter(last_number__gt=0).count() == 0


def test_post_order_places_it_with_a_promptpay_payload_for_the_exact_total(client, shop):
    response = client.post("/api/v1/orders", order_body(), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    year = data["number"].split("-")[1]
    assert data["number"] == f"OTOP-{year}-000001"
    assert data["status"] == "pending_payment"
    # 1250.50 + 2 × 80.25 + 50.00: the cheapest quote, registered parcel up to 3 kg (2.4 kg of goods + a 60 g box)
    assert Decimal(data["total"]) == Decimal("1461.00")
    parsed = parse_payload(data["promptpay"]["payload"])
    assert parsed.amount == Decimal("1461.00") and parsed.is_dynamic
    assert data["promptpay"]["qr_url"].startswith("http://testserver/payments/qr/")
    assert client.get(data["promptpay"]["qr_url"]).status_code == 200
    order = Order.objects.get()
    assert order.subdistrict_id == "400101" and order.channel == "api"
    assert Reservation.objects.get(reference=order.number).status == "active"
    assert stock.available_quantities(variant_ids=[shop["silk"].variants.get().pk]) == {
        shop["silk"].variants.get().pk: 2
    }


def test_order_numbers_follow_each_other_without_gaps(client, shop):
    first = client.post("/api/v1/orders", order_body(), content_type="application/json").json()["number"]
    refused = client.post(
        "/api/v1/orders", order_body(items=[{"sku": "SILK-1", "qty": 9}]), content_type="application/json"
    )
    assert refused.status_code == 409
    second = client.post("/api/v1/orders", order_body(), content_type="application/json").json()["number"]
    assert [first[-6:], second[-6:]] == ["000001", "000002"]


def test_out_of_stock_is_409_naming_the_skus_and_leaves_nothing(client, shop):
    body = order_body(items=[{"sku": "SILK-1", "qty": 5}, {"sku": "RICE-1", "qty": 11}])
    response = client.post("/api/v1/orders", body, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "out_of_stock"
    assert sorted(error["fields"]["items"]) == ["RICE-1", "SILK-1"]
    assert_nothing_left_behind()


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"items": [{"sku": "NOPE", "qty": 1}]}, "items.0.sku", 409),
        ({"items": [{"sku": "SILK-1", "qty": 0}]}, "items.0.qty", 400),
        ({"items": [{"sku": "SILK-1", "qty": -2}]}, "items.0.qty", 400),
        ({"customer": {"name": "ก", "phone": "12345"}}, "customer.phone", 400),
        (
            {
                "delivery": {
                    "method": "parcel",
                    "address": {
                        "line1": "1",
                        "subdistrict": "ในเมือง",
                        "district": "Mueang Khon Kaen",
                        "province": "ขอนแก่น",
                        "postcode": "10200",
                    },
                }
            },
            "delivery.address.postcode",
            409,
        ),
        ({"delivery": {"method": "drone"}}, "delivery.method", 400),
        ({"payment_method": "cash"}, "payment_method", 400),
    ],
)
def test_refused_orders_name_the_field_and_leave_nothing(client, shop, changes, field, status):
    """Malformed input is a 400 from the schema; a well-formed order the rules refuse is a 409."""
    response = client.post("/api/v1/orders", order_body(**changes), content_type="application/json")
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert_nothing_left_behind()


def test_pickup_orders_are_free_of_delivery(client, shop):
    body = order_body(delivery={"method": "pickup"}, items=[{"sku": "RICE-1", "qty": 1}])
    data = client.post("/api/v1/orders", body, content_type="application/json").json()
    assert Decimal(data["total"]) == Decimal("80.25")


def test_tracking_needs_the_phone_and_shows_the_paid_status(client, shop, make_user):
    from otop.orders.services import confirm_promptpay_payment

    number = client.post("/api/v1/orders", order_body(), content_type="application/json").json()["number"]

    def track(phone):
        return client.post("/api/v1/orders/track", {"number": number, "phone": phone}, content_type="application/json")

    assert track("0899999999").status_code == 404
    data = track("081-222-3333").json()
    assert data["status"] == "pending_payment" and len(data["lines"]) == 2
    staff = make_user("staff")
    confirm_promptpay_payment(order=Order.objects.get(number=number), actor=staff)
    data = track("+66 81 222 3333").json()
    assert data["status"] == "paid"
    assert data["promptpay"] is None
    assert [event["status"] for event in data["events"]] == ["pending_payment", "paid"]
    assert Reservation.objects.get(reference=number).status == "committed"
    assert StockLevel.objects.get(variant=shop["silk"].variants.get()).on_hand == 2


def test_search_api_answers_in_relevance_order(client, shop):
    response = client.get("/api/v1/search?q=ผ้าไหม&limit=5")
    assert response.status_code == 200
    assert [hit["sku"] for hit in response.json()] == ["SILK-1"]
