"""A Facebook shop's checkout link on a phone: two variants and a coupon give the discounted total, and
the order placed is a facebook order."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from otop.catalog.services import add_variant
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders.models import Coupon, Order
from otop.search.tests.factories import listed_product


def test_a_facebook_buyer_checks_out_two_variants_with_a_coupon(live_server, phone, screenshot):
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0812345678")
    cache.clear()
    scarf = listed_product(name_th="ผ้าพันคอไหมมัดหมี่", price="350.00", sku="SCARF")
    red = add_variant(product=scarf, sku="SCARF-RED", price=Decimal("350.00"), actor=None, name_th="สีแดง")
    blue = add_variant(product=scarf, sku="SCARF-BLUE", price=Decimal("420.50"), actor=None, name_th="สีคราม")
    online = stock.location(Location.Code.ONLINE)
    inventory.receive_stock(variant=red, location=online, quantity=5, actor=None)
    inventory.receive_stock(variant=blue, location=online, quantity=5, actor=None)
    now = timezone.now()
    Coupon.objects.create(
        code="FB10", kind="percent", value=Decimal("10"), starts_at=now - timedelta(hours=1), ends_at=now + timedelta(1)
    )

    page = phone
    page.goto(
        live_server.url + "/checkout/meta/?products=SCARF-RED%3A2%2CSCARF-BLUE%3A1&coupon=FB10"
        "&cart_origin=facebook&utm_source=facebook&utm_campaign=songkran"
    )
    expect(page.locator("h1")).to_have_text("สั่งซื้อสินค้า")
    expect(page.locator("[data-testid=subtotal]")).to_have_text("฿1,120.50")
    expect(page.locator("[data-testid=discount]")).to_have_text("−฿112.05")
    expect(page.locator("[data-testid=goods-total]")).to_have_text("฿1,008.45")
    expect(page.locator("#id_coupon")).to_have_value("FB10")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "checkout")

    page.locator("#id_name").fill("สมหญิง ใจดี")
    page.locator("#id_phone").fill("0812223333")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checkout/orders/OTOP-"))
    expect(page.locator(".order-lines tfoot")).to_contain_text("−฿112.05")
    screenshot(page, "placed")
    order = Order.objects.get()
    assert order.channel == Order.Channel.FACEBOOK
    assert (order.subtotal, order.discount, order.total) == (Decimal("1120.50"), Decimal("112.05"), Decimal("1008.45"))


def test_a_story_page_on_a_phone_offers_line_and_facebook_sharing_without_their_scripts(live_server, phone, screenshot):
    product = listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", price="1250.50", sku="SILK-1")
    scripts: list[str] = []
    phone.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    phone.goto(live_server.url + f"/products/{product.code}/")
    share = phone.locator(".share-links")
    expect(share.locator("a.share-line")).to_have_attribute("href", re.compile(r"^https://social-plugins\.line\.me/"))
    expect(share.locator("a.share-facebook")).to_have_attribute(
        "href", re.compile(r"^https://www\.facebook\.com/sharer/sharer\.php\?u=")
    )
    card = phone.locator('meta[property="og:image"]').get_attribute("content")
    assert "/share/products/" in card
    assert all(url.startswith(live_server.url) for url in scripts), scripts
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "story")
