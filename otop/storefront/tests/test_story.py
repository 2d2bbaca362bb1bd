from __future__ import annotations

import io
import json
import re
from datetime import date

import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from otop.catalog.models import Product, QrScanDay, Variant
from otop.catalog.services import record_qr_scan
from otop.catalog.tests.factories import ProductFactory
from otop.inventory.selectors import location
from otop.inventory.services import receive_stock


def test_the_qr_link_shows_the_story_in_thai_and_counts_the_scan(client, db):
    product = ProductFactory(code="kk12345", name_th="ผ้าไหมมัดหมี่", story_th="<p>ทอโดย<b>แม่</b></p>")

    response = client.get("/p/kk12345")

    assert response.status_code == 200
    assert response.templates[0].name == "storefront/story.html"
    html = response.content.decode()
    assert "<h1>ผ้าไหมมัดหมี่</h1>" in html
    assert "ความเป็นมา" in html
    assert "<p>ทอโดย<b>แม่</b></p>" in html
    assert 'action="/cart/add/"' in html
    assert f'name="variant" value="{Variant.objects.get(product=product).pk}"' in html
    (row,) = QrScanDay.objects.all()
    assert (row.product_id, row.count) == (product.pk, 1)
    assert [field.name for field in QrScanDay._meta.get_fields()] == ["id", "product", "day", "count"]


def test_the_english_page_and_a_phone_set_to_english(client, db):
    ProductFactory(code="kk12345", name_en="Mudmee silk")
    response = client.get("/en/products/kk12345/")
    assert "<h1>Mudmee silk</h1>" in response.content.decode()
    assert "The story" in response.content.decode()

    redirect = client.get("/p/kk12345", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert (redirect.status_code, redirect["Location"]) == (302, "/en/p/kk12345")
    assert not QrScanDay.objects.exists()  # counted once, on the page the redirect leads to
    assert client.get("/en/p/kk12345").status_code == 200
    assert QrScanDay.objects.get().count == 1


def test_scans_add_up_per_product_and_day(db):
    product = ProductFactory()
    for _ in range(3):
        record_qr_scan(product_id=product.pk, day=date(2026, 11, 21))
    record_qr_scan(product_id=product.pk, day=date(2026, 11, 22))
    assert list(QrScanDay.objects.order_by("day").values_list("day", "count")) == [
        (date(2026, 11, 21), 3),
        (date(2026, 11, 22), 1),
    ]


def test_open_graph_and_json_ld_describe_the_product(client, db):
    product = ProductFactory(code="kk12345", name_th="ผ้าไหม", description_th="ผ้าไหมทอมือ")
    html = client.get("/products/kk12345/").content.decode()
    assert '<meta property="og:title" content="ผ้าไหม">' in html
    assert '<meta property="og:url" content="http://testserver/products/kk12345/">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product"
    assert data["sku"] == product.sku
    assert data["offers"][0]["price"] == "1500.00"
    assert data["offers"][0]["priceCurrency"] == "THB"


def test_drafts_are_hidden_from_visitors_but_staff_can_preview(client, client_for, db):
    ProductFactory(code="draft12", status=Product.Status.DRAFT)
    assert client.get("/p/draft12").status_code == 404
    assert client.get("/products/draft12/").status_code == 404
    response = client_for("staff").get("/products/draft12/")
    assert response.status_code == 200
    assert "action=" not in response.content.decode().split('class="buy"')[1]
    assert not QrScanDay.objects.exists()


def test_the_story_page_runs_a_fixed_number_of_queries_and_caches_its_fragment(client, db):
    product = ProductFactory(code="kk12345")
    for _ in range(6):
        ProductFactory(producer=product.producer)
    client.get("/products/kk12345/")  # the session-less visitor: no session or user queries

    with CaptureQueriesContext(connection) as cached:
        assert client.get("/products/kk12345/").status_code == 200
    # the product's version (the product itself is cached under it), its stock (in the shop and online)
    assert len(cached) == 2

    product.save()  # a change renders the fragment again
    with CaptureQueriesContext(connection) as fresh:
        client.get("/products/kk12345/")
    # + photos (head and body), more from producer (+ their default variants and photos), more from district
    assert len(fresh) <= 12
    for _ in range(10):
        ProductFactory(producer=product.producer)
    product.save()
    with CaptureQueriesContext(connection) as more:
        client.get("/products/kk12345/")
    assert len(more) == len(fresh)


def test_qr_images_decode_to_the_short_link_on_the_public_address(client, db, settings):
    settings.SITE_URL = "https://otop-khonkaen.example"
    ProductFactory(code="kk12345")
    png = client.get("/p/kk12345/qr.png")
    assert png["Content-Type"] == "image/png"
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert result.text == "https://otop-khonkaen.example/p/kk12345"
    assert result.ec_level in ("M", "Q", "H")
    svg = client.get("/p/kk12345/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")


def test_the_page_shows_stock_in_the_shop_and_online(client, db):
    product = ProductFactory(code="kk12345")
    variant = Variant.objects.get(product=product)
    html = client.get("/products/kk12345/").content.decode()
    assert "ที่หน้าร้าน: สินค้าหมด" in html
    receive_stock(variant=variant, location=location("shop"), quantity=4, actor=None)
    receive_stock(variant=variant, location=location("backstore"), quantity=6, actor=None)
    html = client.get("/products/kk12345/").content.decode()
    assert "ที่หน้าร้าน: มี 4 ชิ้น" in html
    assert "ออนไลน์: มีสินค้า" in html


def test_following_a_link_on_our_own_pages_is_not_counted_as_a_scan(client, db):
    ProductFactory(code="kk12345")
    assert client.get("/p/kk12345", HTTP_REFERER="http://testserver/search/?q=silk").status_code == 200
    assert not QrScanDay.objects.exists()
    client.get("/p/kk12345", HTTP_REFERER="https://www.facebook.com/")
    assert QrScanDay.objects.get().count == 1


def test_a_visitor_who_scanned_the_shelf_code_is_not_told_the_shop_is_out_of_stock(client, db):
    ProductFactory(code="kk12345")
    scanned = client.get("/p/kk12345").content.decode()
    assert "ที่หน้าร้าน" not in scanned
    assert "ออนไลน์: สินค้าหมด" in scanned
    assert "หยิบจากชั้นวาง" in scanned
    from_facebook = client.get("/p/kk12345", HTTP_REFERER="https://www.facebook.com/").content.decode()
    assert "ที่หน้าร้าน: สินค้าหมด" in from_facebook


def test_the_story_page_has_the_shops_search_cart_and_tracking_in_its_header(client, db):
    ProductFactory(code="kk12345")
    html = client.get("/products/kk12345/").content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    for path in ('href="/search/"', 'href="/cart/"', 'href="/orders/track/"'):
        assert path in header


def test_the_story_pages_first_screen_stays_under_150_kb_before_the_photo(client, db):
    from otop.storefront.bench import _bytes_before_photo

    ProductFactory(code="kk12345")
    html = client.get("/p/kk12345").content
    sizes = _bytes_before_photo(html)
    assert sizes["total KB"] < 150, sizes
    assert b'fetchpriority="high"' in html  # the photo (here the placeholder) is asked for first
