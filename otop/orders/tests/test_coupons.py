"""Coupons on orders: what they take off and from which lines, their dates and limits, and a usage limit
that holds under concurrent checkouts."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, SoldItem
from otop.inventory.services import create_settlement
from otop.orders import services
from otop.orders.errors import InvalidOrder
from otop.orders.models import Coupon, CouponUse, Order
from otop.search.tests.factories import listed_product

NOW = timezone.now()


def make_coupon(**fields) -> Coupon:
    now = timezone.now()
    values = {
        "code": "OTOP10",
        "kind": Coupon.Kind.PERCENT,
        "value": Decimal("10"),
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=1),
    }
    values.update(fields)
    return Coupon.objects.create(**values)


def place(items, coupon="", phone="0812223333"):
    return services.place_order(
        items=items,
        customer=services.CustomerDetails(name="ลูกค้า", phone=phone),
        delivery_method="pickup",
        coupon=coupon,
    )


def test_a_percentage_is_split_over_the_lines_to_the_satang(shop):
    make_coupon(code="THIRD", value=Decimal("33.33"))
    order = place([("SILK-1", 1), ("RICE-1", 3)], coupon=" third ")
    goods = Decimal("1250.50") + Decimal("80.25") * 3
    assert order.subtotal == goods
    assert order.discount == (goods * Decimal("0.3333")).quantize(Decimal("0.01"))
    lines = list(order.lines.all())
    assert sum(line.discount for line in lines) == order.discount
    assert all(Decimal("0") < line.discount <= line.line_total for line in lines)
    assert order.total == order.subtotal - order.discount
    assert CouponUse.objects.get(order=order).amount == order.discount


def test_a_fixed_discount_on_one_category_leaves_other_lines_alone(shop):
    coupon = make_coupon(code="SILK100", kind=Coupon.Kind.FIXED, value=Decimal("100"))
    coupon.products.add(shop["silk"])
    order = place([("SILK-1", 1), ("RICE-1", 1)], coupon="SILK100")
    by_sku = {line.sku: line.discount for line in order.lines.all()}
    assert by_sku == {"SILK-1": Decimal("100.00"), "RICE-1": Decimal("0.00")}
    assert order.total == Decimal("1250.50") + Decimal("80.25") - 100


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_at": NOW - timedelta(minutes=1), "starts_at": NOW - timedelta(days=2)}, "หมดอายุแล้ว"),
        ({"starts_at": NOW + timedelta(days=1), "ends_at": NOW + timedelta(days=2)}, "ใช้ได้ตั้งแต่"),
        ({"min_spend": Decimal("5000")}, "ตั้งแต่ 5,000.00 บาท"),
        ({"is_active": False}, "ไม่มีคูปอง"),
    ],
)
def test_a_coupon_out_of_its_rules_refuses_the_order_and_changes_nothing(shop, fields, message):
    make_coupon(**fields)
    with pytest.raises(InvalidOrder) as refused:
        place([("RICE-1", 1)], coupon="OTOP10")
    assert message in refused.value.fields["coupon"][0]
    assert Order.objects.count() == 0 and CouponUse.objects.count() == 0
    assert stock.available_quantities(variant_ids=[shop["rice"].variants.get().pk]) == {
        shop["rice"].variants.get().pk: 10
    }


def test_uses_per_phone_and_in_all_are_limited_and_a_cancelled_order_gives_its_use_back(shop):
    make_coupon(max_uses=2, max_uses_per_phone=1)
    first = place([("RICE-1", 1)], coupon="OTOP10")
    with pytest.raises(InvalidOrder, match="ถูกใช้กับเบอร์โทรนี้แล้ว"):
        place([("RICE-1", 1)], coupon="OTOP10", phone="081-222-3333")
    place([("RICE-1", 1)], coupon="OTOP10", phone="0899999999")
    with pytest.raises(InvalidOrder, match="ถูกใช้ครบจำนวนแล้ว"):
        place([("RICE-1", 1)], coupon="OTOP10", phone="0888888888")
    services.change_status(order=first, to_status=Order.Status.CANCELLED)
    assert place([("RICE-1", 1)], coupon="OTOP10", phone="0888888888").discount == Decimal("8.03")


CHECKOUTS = 20
USES = 5


@pytest.mark.django_db(transaction=True)
def test_a_usage_limit_holds_under_twenty_concurrent_checkouts():
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    product = listed_product(name_th="ข้าวหอมมะลิ", price="80.25", sku="RICE-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=100, actor=None
    )
    make_coupon(max_uses=USES)
    barrier = threading.Barrier(CHECKOUTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def checkout(number: int) -> None:
        try:
            barrier.wait()
            try:
                place([("RICE-1", 1)], coupon="OTOP10", phone=f"08100000{number:02d}")
                outcome = "placed"
            except InvalidOrder as error:
                outcome = "used up" if "ถูกใช้ครบจำนวนแล้ว" in error.message else f"refused: {error.message}"
            except Exception as error:  # noqa: BLE001 - any other failure is reported by the assertion below
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(n,)) for n in range(CHECKOUTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert sorted(set(outcomes)) == ["placed", "used up"], outcomes
    assert outcomes.count("placed") == USES
    assert CouponUse.objects.count() == USES == Order.objects.count()


def test_the_ordering_api_takes_a_coupon_and_refuses_one_that_does_not_apply(client, shop):
    make_coupon()
    body = {
        "items": [{"sku": "RICE-1", "qty": 2}],
        "customer": {"name": "สมชาย", "phone": "0812223333"},
        "delivery": {"method": "pickup"},
        "payment_method": "promptpay",
    }
    refused = client.post("/api/v1/orders", {**body, "coupon": "NOPE"}, content_type="application/json")
    assert refused.status_code == 409 and "coupon" in refused.json()["error"]["fields"]
    assert Order.objects.count() == 0
    placed = client.post("/api/v1/orders", {**body, "coupon": "otop10"}, content_type="application/json")
    assert placed.status_code == 201, placed.content
    assert Decimal(placed.json()["total"]) == Decimal("144.45")  # 160.50 less 16.05
    order = Order.objects.get()
    assert order.discount == Decimal("16.05") and order.channel == Order.Channel.API


def test_a_discount_the_producer_bears_is_on_their_statement_and_one_the_center_bears_is_not(shop, make_user):
    producer_coupon = make_coupon(code="PRODUCER", kind=Coupon.Kind.FIXED, value=Decimal("50"), borne_by="producer")
    producer_coupon.products.add(shop["silk"])
    make_coupon(code="CENTER", kind=Coupon.Kind.FIXED, value=Decimal("20"))
    borne = place([("SILK-1", 1)], coupon="PRODUCER")
    center = place([("SILK-1", 1)], coupon="CENTER", phone="0899999999")
    for order in (borne, center):
        services.confirm_promptpay_payment(order=order, actor=None)
    discounts = dict(SoldItem.objects.values_list("reference", "producer_discount"))
    assert discounts == {f"order:{borne.number}": Decimal("50.00"), f"order:{center.number}": Decimal("0.00")}

    today = timezone.localdate()
    settlement = create_settlement(producer=shop["silk"].producer, period_start=date(today.year, today.month, 1))
    (line,) = settlement.lines.all()
    percent = line.commission_percent
    gross = Decimal("1250.50") * 2
    assert line.gross_sales == gross and line.producer_discounts == Decimal("50.00")
    assert line.commission == ((gross - 50) * percent / 100).quantize(Decimal("0.01"))
    assert line.net_payable == gross - 50 - line.commission
    assert settlement.net_payable == line.net_payable and settlement.producer_discounts == Decimal("50.00")
    page = Client()
    page.force_login(make_user("manager"))
    html = page.get(f"/inventory/settlements/{settlement.number}/").content.decode()
    assert 'id="producer-discounts"' in html and "50.00" in html


def test_staff_create_a_coupon_in_the_admin_in_capitals(shop, make_user):
    client = Client()
    client.force_login(make_user("manager"))
    assert client.get("/admin/orders/coupon/add/").status_code == 200
    response = client.post(
        "/admin/orders/coupon/add/",
        {
            "code": "songkran",
            "kind": "percent",
            "value": "15",
            "min_spend": "0",
            "starts_at_0": "2026-04-12",
            "starts_at_1": "00:00:00",
            "ends_at_0": "2026-04-16",
            "ends_at_1": "00:00:00",
            "borne_by": "center",
            "is_active": "on",
            "uses-TOTAL_FORMS": "0",
            "uses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    coupon = Coupon.objects.get(code="SONGKRAN")
    assert timezone.localtime(coupon.starts_at).hour == 0  # midnight in Bangkok
