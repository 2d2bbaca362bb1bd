"""What the till shows of an item: its producer and a small picture, in every way an item reaches it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from otop.catalog.models import Category
from otop.catalog.services import add_product_photo
from otop.catalog.tests.factories import ProducerFactory, ProductFactory
from otop.pos import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 30, 60)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="silk.jpg")


def _two_silks():
    north = ProductFactory(name_th="ผ้าไหมมัดหมี่", producer=ProducerFactory(name_th="กลุ่มทอผ้าบ้านโคกสี"))
    south = ProductFactory(
        name_th="ผ้าไหมมัดหมี่",
        producer=ProducerFactory(name_th="กลุ่มทอผ้าบ้านหนองแวง"),
        category=Category.objects.get(code="textiles"),
        default_variant__price=Decimal("1350.50"),
    )
    with_photo = add_product_photo(product=north, upload=_jpeg(), actor=None)
    return north.variants.get(), south.variants.get(), with_photo


def test_the_offline_price_list_tells_same_named_items_apart_by_producer_and_picture(media):
    north, south, photo = _two_silks()
    rows = {row["id"]: row for row in selectors.catalog_snapshot()}
    stem = photo.image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert rows[north.pk]["producer_th"] == "กลุ่มทอผ้าบ้านโคกสี"
    assert rows[north.pk]["image"] == f"/media/products/renditions/{stem}-240.jpg"
    assert rows[south.pk]["producer_th"] == "กลุ่มทอผ้าบ้านหนองแวง"
    assert rows[south.pk]["image"].endswith("catalog/placeholders/textiles.svg")
    assert rows[south.pk]["price"] == "1350.50"


def test_search_and_lookup_answer_with_the_producer_and_picture(client_for, media, django_assert_max_num_queries):
    north, south, _photo = _two_silks()
    client = client_for("cashier")
    found = client.get(f"/api/v1/pos/lookup?code={south.barcode}").json()
    assert (found["producer_th"], found["price"]) == ("กลุ่มทอผ้าบ้านหนองแวง", "1350.50")
    assert found["image"].endswith("textiles.svg")
    with django_assert_max_num_queries(8):
        rows = selectors.variant_rows([north, south])
    assert [row["producer_th"] for row in rows] == ["กลุ่มทอผ้าบ้านโคกสี", "กลุ่มทอผ้าบ้านหนองแวง"]
    assert rows[0]["image"].endswith("-240.jpg")
