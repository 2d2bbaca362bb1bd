"""The catalogue feeds for the whole demo catalogue: every row passes the field rules, every address in them
answers 200, pictures are square and ≥ 500×500, and the feeds follow the catalogue and the stock."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from otop.catalog.models import Product, Variant
from otop.catalog.services import add_product_photo, update_product
from otop.channels.feeds.build import build_feeds
from otop.channels.feeds.formats import META_COLUMNS, OVERRIDE_COLUMNS
from otop.channels.models import FeedBuild
from otop.demo.services import seed_demo
from otop.inventory import services as inventory
from otop.inventory.selectors import available_quantities
from otop.orders.services import shop_settings
from otop.shipping.models import Carrier, RateBand, ShippingSettings
from otop.shipping.rates import quotes_for_items

SITE = "https://otop.example"
G = "{http://base.google.com/ns/1.0}"
PRICE = re.compile(r"^\d+\.\d{2} THB$")


@pytest.fixture
def site(db, settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


def _get(client, url: str):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE, url
    return client.get(parts.path)


def _expected():
    """variant SKU → (variant, online units) for every active variant of a listed product."""
    variants = list(
        Variant.objects.filter(is_active=True, product__status=Product.Status.LISTED).select_related(
            "product", "product__producer", "product__producer__district", "product__category"
        )
    )
    available = available_quantities(variant_ids=[v.pk for v in variants])
    return {v.sku: (v, available[v.pk]) for v in variants}


def _check_meta_row(row: dict[str, str], expected: dict, groups: dict[str, int]) -> None:
    variant, units = expected[row["id"]]
    product = variant.product
    assert 0 < len(row["id"]) <= 100
    assert row["item_group_id"] == (product.sku if groups[product.sku] > 1 else "")
    assert 0 < len(row["title"]) <= 200 and row["title"].startswith(product.name_th[:50])
    assert 0 < len(row["description"]) <= 9999
    assert not re.search(r"<[a-zA-Z/]|&[#a-zA-Z0-9]+;", row["description"])
    assert row["availability"] == ("in stock" if units > 0 else "out of stock")
    assert row["condition"] == "new"
    assert PRICE.match(row["price"]) and Decimal(row["price"].split()[0]) == variant.price
    assert row["link"] == f"{SITE}/products/{product.code}/"
    assert row["image_link"].startswith(f"{SITE}/feeds/images/{product.code}/0/")
    assert row["brand"] == product.producer.name_th
    assert row["google_product_category"].isdigit()
    assert row["product_type"] == product.category.name_th
    assert int(row["quantity_to_sell_on_facebook"]) == max(units, 0)
    assert row["custom_label_0"] == product.producer.district.name_th
    assert row["custom_label_1"] == (f"OTOP {product.otop_stars} ดาว" if product.otop_stars else "")


def _google_shipping(item) -> list[tuple[str, str, str, str]]:
    shipping = item.findall(G + "shipping")
    assert {element.findtext(G + "country") for element in shipping} == {"TH"}
    return sorted(
        (
            element.findtext(G + "service"),
            element.findtext(G + "price"),
            element.findtext(G + "min_transit_time", default=""),
            element.findtext(G + "max_transit_time", default=""),
        )
        for element in shipping
    )


def _checkout_quotes(variant: Variant, postcode: str = "40000") -> list[tuple[str, str, str, str]]:
    """What a checkout quotes for one unit of the variant (Thai names), written as the feed writes it."""
    with translation.override("th"):
        quotes = quotes_for_items(items=[(variant, 1)], postcode=postcode, subtotal=variant.price)
    assert quotes, variant.sku
    return sorted((q.name, f"{q.fee:.2f} THB", str(q.days_min), str(q.days_max)) for q in quotes)


def _small_photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 120, 40)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="small.png")


def test_every_feed_row_of_the_demo_catalogue_passes_the_field_rules(client, site):
    seed_demo()
    # A second photo, smaller than Meta's minimum: its square rendition is scaled up.
    with_photo = Product.objects.filter(status=Product.Status.LISTED, photos__isnull=False).first()
    add_product_photo(product=with_photo, upload=_small_photo(), actor=None)
    expected = _expected()
    groups: dict[str, int] = {}
    for variant, _units in expected.values():
        groups[variant.product.sku] = groups.get(variant.product.sku, 0) + 1
    assert any(count > 1 for count in groups.values()), "the demo has products with several variants"

    # Meta CSV
    response = client.get("/feeds/meta.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    meta_csv = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(meta_csv[0]) == META_COLUMNS
    assert sorted(row["id"] for row in meta_csv) == sorted(expected)
    for row in meta_csv:
        _check_meta_row(row, expected, groups)

    # Meta XML: the same values in RSS 2.0 with the g: namespace
    response = client.get("/feeds/meta.xml")
    assert response.status_code == 200
    channel = ET.fromstring(b"".join(response.streaming_content)).find("channel")
    meta_xml = []
    for item in channel.findall("item"):
        row = {column: item.findtext(G + column, default="") for column in META_COLUMNS}
        row["additional_image_link"] = ",".join(e.text for e in item.findall(G + "additional_image_link"))
        meta_xml.append(row)
    assert meta_xml == meta_csv

    # The English override feed
    response = client.get("/feeds/meta-en.csv")
    english = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(english[0]) == OVERRIDE_COLUMNS
    assert sorted(row["id"] for row in english) == sorted(expected)
    for row in english:
        product = expected[row["id"]][0].product
        assert row["override"] == "en_XX"
        assert 0 < len(row["title"]) <= 200 and 0 < len(row["description"]) <= 9999
        assert row["link"] == f"{SITE}/en/products/{product.code}/"

    # Google: Google's names and values, shipping from the carriers' rates (as a checkout quotes one unit)
    response = client.get("/feeds/google.xml")
    assert response.status_code == 200
    items = ET.fromstring(b"".join(response.streaming_content)).find("channel").findall("item")
    assert len(items) == len(expected)
    by_id = {row["id"]: row for row in meta_csv}
    for item in items:
        meta = by_id[item.findtext(G + "id")]
        assert item.findtext("title") == meta["title"] and item.findtext("link") == meta["link"]
        assert item.findtext("description") == meta["description"]
        assert item.findtext(G + "price") == meta["price"] and item.findtext(G + "brand") == meta["brand"]
        assert item.findtext(G + "availability") == meta["availability"].replace(" ", "_")
        assert item.findtext(G + "condition") == "new"
        assert item.findtext(G + "image_link") == meta["image_link"]
        assert (item.findtext(G + "item_group_id") or "") == meta["item_group_id"]
        assert item.findtext(G + "gtin") or item.findtext(G + "identifier_exists") == "no"
        variant = expected[item.findtext(G + "id")][0]
        assert _google_shipping(item) == _checkout_quotes(variant)

    # Every address in the feeds answers 200; every picture is a square JPEG of at least 500×500
    pages = {row["link"] for row in meta_csv} | {row["link"] for row in english}
    for url in sorted(pages):
        assert _get(client, url).status_code == 200, url
    pictures = {row["image_link"] for row in meta_csv}
    pictures |= {link for row in meta_csv for link in row["additional_image_link"].split(",") if link}
    assert any(row["additional_image_link"] for row in meta_csv)
    for url in sorted(pictures):
        response = _get(client, url)
        assert response.status_code == 200, url
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.format == "JPEG" and image.width == image.height >= 500, (url, image.size)


def test_feeds_answer_304_and_follow_prices_and_stock(client, site):
    seed_demo(products=12)
    first = client.get("/feeds/meta.csv")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/meta.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/meta.csv", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    # A price changes: the next request builds the feeds again (a queued task; here it runs at once)
    variant = Variant.objects.filter(product__status=Product.Status.LISTED, is_default=True).first()
    update_product(product=variant.product, actor=None, price=Decimal("123.45"))
    second = client.get("/feeds/meta.csv", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    text = b"".join(second.streaming_content).decode()
    assert f"{variant.sku}," in text and "123.45 THB" in text

    # Stock changes too: selling out one item makes it "out of stock" with quantity 0
    units = available_quantities(variant_ids=[variant.pk])[variant.pk]
    inventory.reserve_stock(items=[(variant.pk, units)], reference="test-sold-out", expires_at=None)
    third = client.get("/feeds/meta.csv", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    row = next(
        r for r in csv.DictReader(io.StringIO(b"".join(third.streaming_content).decode())) if r["id"] == variant.sku
    )
    assert row["availability"] == "out of stock" and row["quantity_to_sell_on_facebook"] == "0"


def test_a_build_replaces_the_previous_files_in_a_few_queries(site, django_assert_max_num_queries):
    seed_demo(products=12)
    build_feeds()
    before = set(FeedBuild.objects.values_list("name", flat=True))
    product = Product.objects.filter(status=Product.Status.LISTED).first()
    update_product(product=product, actor=None, price=Decimal("99.00"))
    with django_assert_max_num_queries(40):
        builds = build_feeds()
    assert {b.kind for b in builds} == {"meta.csv", "meta.xml", "meta-en.csv", "google.xml"}
    assert before.isdisjoint({b.name for b in builds})
    assert not any(default_storage.exists(name) for name in before)
    assert all(default_storage.exists(b.name) for b in builds)


def _google_items(client) -> dict:
    response = client.get("/feeds/google.xml")
    assert response.status_code == 200
    items = ET.fromstring(b"".join(response.streaming_content)).find("channel").findall("item")
    return {item.findtext(G + "id"): item for item in items}


def test_google_shipping_follows_the_carriers_rates_and_falls_back_to_the_parcel_rate(client, site):
    seed_demo(products=12)
    variant = Variant.objects.filter(product__status=Product.Status.LISTED, is_default=True).first()
    item = _google_items(client)[variant.sku]
    quoted = _google_shipping(item)
    assert quoted == _checkout_quotes(variant) and len(quoted) >= 2
    assert item.findtext(G + "shipping_weight") == f"{variant.weight_grams or variant.product.weight_grams} g"

    # A band's fee changes: the feed is built again with it
    RateBand.objects.filter(service__carrier__code="thailandpost").update(fee=Decimal("77.70"))
    assert {price for _service, price, _min, _max in _google_shipping(_google_items(client)[variant.sku])} == {
        "77.70 THB"
    }

    # From the free-delivery threshold every service ships the item free
    ShippingSettings.objects.update_or_create(pk=1, defaults={"free_delivery_from": variant.price})
    assert {price for _service, price, _min, _max in _google_shipping(_google_items(client)[variant.sku])} == {
        "0.00 THB"
    }

    # No table-priced carrier enabled: the shop's parcel rate, one g:shipping
    Carrier.objects.update(is_enabled=False)
    shipping = _google_items(client)[variant.sku].findall(G + "shipping")
    assert [(e.findtext(G + "service"), e.findtext(G + "price")) for e in shipping] == [
        ("พัสดุ", f"{shop_settings().parcel_rate:.2f} THB")
    ]


def test_unknown_feed_and_picture_are_404(client, site):
    seed_demo(products=3)
    assert client.get("/feeds/other.csv").status_code == 404
    assert client.get("/feeds/images/nope/0/abc.jpg").status_code == 404
    product = Product.objects.filter(status=Product.Status.LISTED).first()
    assert client.get(f"/feeds/images/{product.code}/99/abc.jpg").status_code == 404


def _image_at(client, url: str) -> Image.Image:
    response = _get(client, url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_story_category_and_home_pages_share_a_drawn_1200x630_card(client, site):
    from otop.catalog.models import Category

    seed_demo(products=12)
    product = Product.objects.filter(status=Product.Status.LISTED, photos__isnull=False).first()
    page = client.get(f"/products/{product.code}/").content.decode()
    card = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    image = _image_at(client, card)
    assert image.size == (1200, 630)
    assert f'<meta property="og:url" content="http://testserver/products/{product.code}/">' in page
    assert '<meta property="product:price:currency" content="THB">' in page
    assert "social-plugins.line.me/lineit/share?url=http%3A%2F%2Ftestserver%2Fproducts%2F" in page
    assert "www.facebook.com/sharer/sharer.php?u=" in page and '<script src="https://' not in page
    # The card is drawn once: a second request reads the stored file
    stored = sorted(default_storage.listdir("share/products")[1])
    assert _image_at(client, card).size == (1200, 630)
    assert sorted(default_storage.listdir("share/products")[1]) == stored
    # JSON-LD: image, brand, availability and SKU
    data = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', page, re.S).group(1))
    assert data["sku"] == product.sku and data["brand"]["name"] == product.producer.name_th
    assert _image_at(client, data["image"][0]).width >= 500
    assert {offer["availability"] for offer in data["offers"]} <= {
        "https://schema.org/InStock",
        "https://schema.org/OutOfStock",
    }
    assert all(offer["sku"] for offer in data["offers"])

    for path in ("/", f"/categories/{Category.objects.first().code}/"):
        page = client.get(path).content.decode()
        card = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
        assert _image_at(client, card).size == (1200, 630)


def test_plain_text_has_no_tags_or_entities_and_keeps_thai_words_whole():
    from otop.channels.feeds.rows import plain_text

    story = "<p>ผ้าไหม<b>มัดหมี่</b></p><p>ทอมือ &amp; ย้อมสีธรรมชาติ &lt;script&gt;x&lt;/script&gt;</p>\x00"
    assert plain_text(story, 9999) == "ผ้าไหมมัดหมี่ ทอมือ & ย้อมสีธรรมชาติ x"
    assert plain_text("ก" * 50, 10) == "ก" * 10
