"""Meta's checkout URL: the cart filled from `products`, problems told in Thai with the rest kept, the coupon
applied, and the order placed as a facebook or instagram order with its utm values."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from otop.catalog.services import add_variant, delist_product
from otop.channels.models import OrderAttribution
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Coupon, Order
from otop.search.tests.factories import listed_product

CHECKOUT = {"name": "สมหญิง ใจดี", "phone": "0812345678", "email": "", "delivery_method": "pickup"}


@pytest.fixture
def shop(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    online = stock.location(Location.Code.ONLINE)
    scarf = listed_product(name_th="ผ้าพันคอไหม", price="350.00", sku="SCARF")
    red = add_variant(product=scarf, sku="SCARF-RED", price=Decimal("350.00"), actor=None, name_th="สีแดง")
    blue = add_variant(product=scarf, sku="SCARF-BLUE", price=Decimal("420.50"), actor=None, name_th="สีน้ำเงิน")
    old = listed_product(name_th="ตะกร้าเก่า", price="99.00", sku="OLD")
    for variant, units in ((red, 5), (blue, 1), (old.variants.get(), 3)):
        inventory.receive_stock(variant=variant, location=online, quantity=units, actor=None)
    delist_product(product=old, actor=None)
    now = timezone.now()
    Coupon.objects.create(
        code="FB10",
        kind="percent",
        value=Decimal("10"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    return {"red": red, "blue": blue}


def test_the_link_fills_the_cart_applies_the_coupon_and_places_a_facebook_order(client, shop):
    response = client.get(
        "/checkout/meta/?products=SCARF-RED%3A2%2CSCARF-BLUE%3A1&coupon=fb10&cart_origin=facebook"
        "&utm_source=facebook&utm_medium=paid&utm_campaign=songkran",
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/checkout/"
    page = response.content.decode()
    goods = Decimal("350.00") * 2 + Decimal("420.50")
    assert response.context["cart"].subtotal == goods
    assert response.context["discount"] == Decimal("112.05")
    assert "1,008.45" in page  # 1,120.50 less 10 %
    response = client.post("/checkout/", {**CHECKOUT, "coupon": "FB10"})
    assert response.status_code == 302, response.context["form"].errors
    order = Order.objects.get()
    assert order.channel == Order.Channel.FACEBOOK
    assert (order.subtotal, order.discount, order.total) == (goods, Decimal("112.05"), Decimal("1008.45"))
    assert sum(line.discount for line in order.lines.all()) == order.discount
    attribution = OrderAttribution.objects.get(order=order)
    assert (attribution.cart_origin, attribution.utm_source, attribution.utm_campaign) == (
        "facebook",
        "facebook",
        "songkran",
    )


def test_unknown_delisted_and_too_many_are_told_in_thai_and_the_rest_is_kept(client, shop):
    response = client.get(
        "/checkout/meta/?products=NOPE%3A1%2COLD%3A1%2CSCARF-BLUE%3A4%2CSCARF-RED%3A1%2Cjunk&cart_origin=instagram",
        follow=True,
    )
    page = response.content.decode()
    assert "ไม่พบสินค้ารหัส NOPE" in page
    assert "ตะกร้าเก่า" in page and "ไม่มีจำหน่ายแล้ว" in page
    assert "เหลือเพียง 1" in page
    items = {item.variant.sku: item.quantity for item in response.context["cart"].items}
    assert items == {"SCARF-BLUE": 1, "SCARF-RED": 1}
    client.post("/checkout/", CHECKOUT)
    assert Order.objects.get().channel == Order.Channel.INSTAGRAM


def test_a_coupon_that_does_not_apply_is_explained_and_the_order_is_refused(client, shop):
    response = client.get("/checkout/meta/?products=SCARF-RED%3A1&coupon=NOSUCH", follow=True)
    assert "ไม่มีคูปอง NOSUCH" in response.content.decode()
    response = client.post("/checkout/", {**CHECKOUT, "coupon": "NOSUCH"})
    assert response.status_code == 200 and Order.objects.count() == 0
