from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from otop.catalog.errors import BarcodeTaken, InvalidBarcode, InvalidBasket, InvalidPhoto
from otop.catalog.models import BasketComponent, Category, Product, ProductPhoto, Variant
from otop.catalog.services import (
    add_product_photo,
    add_variant,
    create_product,
    sanitize_story,
    set_basket_component,
    update_product,
)
from otop.catalog.tests.factories import ProducerFactory, ProductFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (16.0, 26.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_product_without_a_barcode_gets_an_in_store_code(db, manager):
    product = create_product(
        sku="N-1", name_th="ชาใบหม่อน", category=Category.objects.get(code="food"),
        producer=ProducerFactory(), price=Decimal("80.00"), actor=manager,
    )  # fmt: skip
    variant = Variant.objects.get(product=product)
    assert (variant.sku, variant.is_default, variant.barcode) == (
        "N-1",
        True,
        f"21{variant.pk:010d}" + variant.barcode[-1],
    )
    assert len(product.code) == 7


def test_a_wrong_check_digit_is_refused_and_nothing_is_created(db, manager):
    with pytest.raises(InvalidBarcode) as error:
        create_product(
            sku="N-1", name_th="ชา", category=Category.objects.get(code="food"), producer=ProducerFactory(),
            price=Decimal("80.00"), barcode="8850000000011", actor=manager,
        )  # fmt: skip
    assert error.value.message == "เลขตรวจสอบของบาร์โค้ด 8850000000011 ไม่ถูกต้อง"
    assert not Product.objects.exists()


def test_a_taken_barcode_is_refused_for_a_variant(db, manager):
    product = ProductFactory()
    taken = Variant.objects.get(product=product).barcode
    with pytest.raises(BarcodeTaken):
        add_variant(product=product, sku="X-RED", price=Decimal("10.00"), barcode=taken, actor=manager)
    assert Variant.objects.count() == 1


def test_updating_a_product_sanitizes_its_story_and_changes_the_default_price(db, manager):
    product = ProductFactory()
    update_product(
        product=product, actor=manager, price=Decimal("99.00"),
        story_th='<p onclick="x()">เรื่อง<script>alert(1)</script><a href="javascript:x">ลิงก์</a></p>',
    )  # fmt: skip
    product.refresh_from_db()
    assert product.story_th == '<p>เรื่อง<a rel="noopener nofollow">ลิงก์</a></p>'
    assert Variant.objects.get(product=product).price == Decimal("99.00")
    assert sanitize_story("<h3>ที่มา</h3><img src=x>") == "<h3>ที่มา</h3>"


def test_photos_are_reencoded_without_exif_and_get_a_webp_thumbnail(db, manager, media):
    product = ProductFactory()
    photo = add_product_photo(
        product=product, upload=SimpleUploadedFile("a.jpg", _jpeg_with_gps()), actor=manager, alt_th="ผ้า"
    )
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert stored.size == (800, 600)
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (480, 360))
    assert (photo.width, photo.height) == (800, 600)


@pytest.mark.parametrize(
    "content",
    [b"GIF89a" + b"\0" * 100, b"not an image at all", b"\xff\xd8\xff\xe0" + b"\0" * 50],
    ids=["gif", "text", "truncated-jpeg"],
)
def test_fake_or_unsupported_photos_are_refused(db, manager, media, content):
    with pytest.raises(InvalidPhoto):
        add_product_photo(product=ProductFactory(), upload=SimpleUploadedFile("a.jpg", content), actor=manager)
    assert not ProductPhoto.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_gif_is_refused_even_when_it_is_a_real_image(db, manager, media):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(InvalidPhoto) as error:
        add_product_photo(
            product=ProductFactory(), upload=SimpleUploadedFile("a.gif", buffer.getvalue()), actor=manager
        )
    assert error.value.message == "รูปภาพต้องเป็น JPEG, PNG หรือ WebP"


def test_a_gift_basket_holds_variants_from_several_producers_but_no_basket(db, manager):
    basket = ProductFactory(sku="GB-1")
    Product.objects.filter(pk=basket.pk).update(is_basket=True)
    basket.refresh_from_db()
    rice = Variant.objects.get(product=ProductFactory())
    silk = Variant.objects.get(product=ProductFactory())
    set_basket_component(basket=basket, variant=rice, quantity=2, actor=manager)
    set_basket_component(basket=basket, variant=silk, quantity=1, actor=manager)
    set_basket_component(basket=basket, variant=rice, quantity=3, actor=manager)
    assert sorted(basket.components.values_list("variant__sku", "quantity")) == sorted([(rice.sku, 3), (silk.sku, 1)])
    assert rice.product.producer_id != silk.product.producer_id

    other = ProductFactory()
    Product.objects.filter(pk=other.pk).update(is_basket=True)
    with pytest.raises(InvalidBasket):
        set_basket_component(basket=basket, variant=Variant.objects.get(product=other), quantity=1, actor=manager)
    set_basket_component(basket=basket, variant=silk, quantity=0, actor=manager)
    assert list(BasketComponent.objects.values_list("variant__sku", flat=True)) == [rice.sku]
