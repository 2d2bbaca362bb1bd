"""The checkout page shows goods, delivery and the grand total before the order button (by the order
service's fee rules, whatever the browser sends), sums up its errors on top with links to the fields, and its
messages say what to do: what a phone number looks like, and to choose a district."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache

from otop.catalog.models import Variant
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Order
from otop.orders.services import shop_settings
from otop.search.tests.factories import listed_product
from otop.shipping.rates import quotes_for_items


@pytest.fixture
def cart_client(client, db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    settings_row = shop_settings()
    settings_row.parcel_rate = Decimal("60.00")
    settings_row.save()
    # A weight makes parcel delivery possible (the shipping app prices parcels by weight and postcode).
    silk = listed_product(name_th="ผ้าไหม", name_en="Silk", price="1250.50", sku="SILK-1", weight_grams=400)
    variant = silk.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.ONLINE), quantity=5, actor=None)
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 2})
    return client


def _cheapest_parcel_fee() -> Decimal:
    """What the carriers quote for the cart (two silks) to Mueang Khon Kaen: the fee the server charges."""
    variant = Variant.objects.get(sku="SILK-1")
    quotes = quotes_for_items(items=[(variant, 2)], postcode="40000", subtotal=Decimal("2501.00"))
    return min(quote.fee for quote in quotes)


def _details(**extra):
    data = {"name": "สมหญิง ใจดี", "phone": "0812223333", "email": "", "delivery_method": "pickup",
            "line1": "", "line2": "", "province": "40", "district": "", "subdistrict": "", "postcode": ""}  # fmt: skip
    data.update(extra)
    return data


def _shown(html: str, css_class: str) -> list[str]:
    """The amounts a totals cell shows (its spans for the other delivery method are hidden)."""
    cell = re.search(rf'<td class="{css_class}">(.*?)</td>', html, re.S).group(1)
    return re.findall(r"<(?:span|strong) data-delivery=\"\w+\">([^<]*)<", cell)


def test_the_page_shows_goods_delivery_and_total_before_the_order_button(cart_client):
    html = cart_client.get("/checkout/").content.decode()
    assert html.index("checkout-totals") < html.index("ยืนยันการสั่งซื้อ")
    assert "ยอดรวม" in html and "ค่าจัดส่ง" in html and "ค่าสินค้า" in html
    assert re.search(r'<td class="checkout-goods">฿2,501.00</td>', html)
    assert _shown(html, "checkout-delivery") == ["฿0.00"]  # pickup is chosen at first
    assert _shown(html, "checkout-total") == ["฿2,501.00"]
    # the parcel figures are on the page too, hidden until parcel is chosen: a parcel's fee comes from the
    # carriers' quotes, so without an address it is not known yet
    assert '<span data-delivery="parcel" hidden>คำนวณเมื่อเลือกที่อยู่</span>' in html
    assert '<strong data-delivery="parcel" hidden>—</strong>' in html
    assert "storefront/checkout.js" in html


def test_a_refused_parcel_order_shows_the_parcel_totals_and_says_choose_a_district(cart_client):
    response = cart_client.post("/checkout/", _details(delivery_method="parcel", line1="99 หมู่ 1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert "กรุณาเลือกอำเภอ" in html
    assert "ไม่อยู่ใน" not in html
    # no district, so no postcode to quote yet
    assert _shown(html, "checkout-delivery") == ["คำนวณเมื่อเลือกที่อยู่"]
    assert _shown(html, "checkout-total") == ["—"]
    summary = re.search(r'<div class="form-errors error-summary" id="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#id_district">' in summary and "กรุณาเลือกอำเภอ" in summary


def test_an_empty_phone_says_what_a_phone_number_looks_like_and_links_from_the_summary(cart_client):
    html = cart_client.post("/checkout/", _details(phone="")).content.decode()
    summary = re.search(r'id="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#id_phone">' in summary
    assert "0812345678" in summary
    assert Order.objects.count() == 0
    english = cart_client.post("/en/checkout/", _details(phone="")).content.decode()
    assert "Please give your mobile phone number, e.g. 0812345678." in english


def test_the_order_is_charged_by_the_servers_rules_whatever_the_page_showed(cart_client):
    response = cart_client.post(
        "/checkout/",
        _details(
            delivery_fee="0.00",
            total="1.00",
            delivery_method="parcel",
            line1="99 หมู่ 1",
            district="4001",
            subdistrict="400101",
            postcode="40000",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    order = Order.objects.get()
    fee = _cheapest_parcel_fee()
    assert fee > 0
    assert (order.delivery_fee, order.total) == (fee, Decimal("2501.00") + fee)


def test_no_errors_no_summary(cart_client):
    assert 'id="error-summary"' not in cart_client.get("/checkout/").content.decode()


def test_every_mistake_is_listed_at_once(cart_client):
    html = cart_client.post("/checkout/", _details(phone="", delivery_method="parcel", line1="1")).content.decode()
    summary = re.search(r'id="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#id_phone">' in summary and '<a href="#id_district">' in summary


def test_the_placed_order_says_yod_ruam_for_its_total(cart_client):
    response = cart_client.post("/checkout/", _details(), follow=True)
    html = response.content.decode()
    assert re.search(r'ยอดรวม</th><td class="order-total">฿2,501.00</td>', html)
