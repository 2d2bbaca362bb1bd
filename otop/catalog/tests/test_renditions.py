from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.core.management import call_command
from django.template import Context, Template
from PIL import Image

from otop.catalog.drawings import DRAWINGS, drawn_picture
from otop.catalog.models import Category, ProductPhoto
from otop.catalog.renditions import media_url, picture_for, rendition_name, widths_for
from otop.catalog.selectors import attach_card_photos
from otop.catalog.services import add_product_photo, remove_product_photo
from otop.catalog.tests.factories import ProductFactory


@pytest.fixture
def in_memory_storage(monkeypatch):
    """Object storage stand-in: the renditions must go through the storage API, not file paths.

    Set on the photo fields themselves: overriding STORAGES would make new storage objects that other
    apps' tests compare by identity."""
    storage = InMemoryStorage()
    for name in ("image", "thumbnail"):
        monkeypatch.setattr(ProductPhoto._meta.get_field(name), "storage", storage)
    return storage


def _jpeg(width: int, height: int, colour=(180, 40, 40)) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def test_a_new_photo_gets_4_by_3_renditions_in_webp_and_jpeg_through_the_storage_api(db, in_memory_storage):
    product = ProductFactory()
    photo = add_product_photo(product=product, upload=_jpeg(1600, 900), actor=None)

    assert photo.rendition_widths == [240, 480, 960]
    for width in (240, 480, 960):
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            with in_memory_storage.open(rendition_name(photo.image.name, width, extension)) as stored:
                image = Image.open(stored)
                assert (image.format, image.size) == (image_format, (width, width * 3 // 4))


def test_a_small_photo_is_never_enlarged(db, in_memory_storage):
    photo = add_product_photo(product=ProductFactory(), upload=_jpeg(400, 300), actor=None)
    assert photo.rendition_widths == [240, 400]
    assert widths_for(100, 100) == [100]
    assert widths_for(720, 540) == [240, 480, 720]


def test_a_card_picture_has_webp_and_jpeg_sources_with_widths_and_a_fixed_box(db, in_memory_storage):
    product = ProductFactory()
    photo = add_product_photo(product=product, upload=_jpeg(1200, 900), actor=None)
    attach_card_photos([product])

    html = Template("{% load catalog %}{% product_picture product %}").render(Context({"product": product}))

    stem = photo.image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert f'<source type="image/webp" srcset="/media/products/renditions/{stem}-240.webp 240w, ' in html
    assert f"/media/products/renditions/{stem}-960.jpg 960w" in html
    assert f'src="/media/products/renditions/{stem}-480.jpg"' in html
    assert 'width="480" height="360"' in html
    assert 'loading="lazy"' in html


def test_the_first_cards_load_at_once_and_the_rest_lazily(db):
    product = ProductFactory()
    template = Template("{% load catalog %}{% product_picture product position=position %}")
    assert 'loading="lazy"' not in template.render(Context({"product": product, "position": 1}))
    assert 'loading="lazy"' in template.render(Context({"product": product, "position": 3}))


@pytest.mark.parametrize(
    ("category", "placeholder"),
    [("food", "food.svg"), ("textiles", "textiles.svg"), ("herbal", "herbal.svg"), ("tea-sets", "default.svg")],
)
def test_a_product_without_a_photo_shows_its_category_placeholder(db, category, placeholder):
    found, _created = Category.objects.get_or_create(code=category, defaults={"name_th": "ชุดชา", "name_en": "Tea"})
    product = ProductFactory(category=found)
    attach_card_photos([product])

    picture = picture_for(product)

    assert picture.is_placeholder
    assert picture.src.endswith(f"catalog/placeholders/{placeholder}")
    assert (picture.width, picture.height) == (400, 300)


def test_photos_of_a_page_of_cards_load_in_one_query(db, django_assert_num_queries):
    products = [ProductFactory() for _ in range(5)]
    with django_assert_num_queries(1):
        attach_card_photos(products)
        pictures = [picture_for(product) for product in products]
    assert len(pictures) == 5


def test_removing_a_shared_picture_keeps_the_files_the_other_product_shows(
    db, in_memory_storage, django_capture_on_commit_callbacks
):
    first, second = ProductFactory(), ProductFactory()
    photo = add_product_photo(product=first, upload=_jpeg(800, 600), actor=None)
    shared = ProductPhoto.objects.create(
        product=second,
        image=photo.image.name,
        thumbnail=photo.thumbnail.name,
        width=photo.width,
        height=photo.height,
        rendition_widths=photo.rendition_widths,
    )
    names = [photo.image.name, rendition_name(photo.image.name, 480, "webp")]

    with django_capture_on_commit_callbacks(execute=True):
        remove_product_photo(photo=photo, actor=None)
    assert all(in_memory_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        remove_product_photo(photo=shared, actor=None)
    assert not any(in_memory_storage.exists(name) for name in names)


@pytest.mark.parametrize("category", [*DRAWINGS, "unknown"])
def test_a_drawn_demo_picture_is_a_deterministic_4_by_3_jpeg(category):
    data = drawn_picture(category, 7)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", (720, 540))
    assert drawn_picture(category, 7) == data
    assert drawn_picture(category, 8) != data


def test_photos_stored_before_renditions_get_them_from_the_command(db, in_memory_storage):
    photo = add_product_photo(product=ProductFactory(), upload=_jpeg(1000, 750), actor=None)
    for name in [rendition_name(photo.image.name, width, ext) for width in (240, 480, 960) for ext in ("webp", "jpg")]:
        in_memory_storage.delete(name)
    ProductPhoto.objects.filter(pk=photo.pk).update(rendition_widths=[])
    product = photo.product
    attach_card_photos([product])
    assert picture_for(product).webp_srcset == ""  # the thumbnail meanwhile

    call_command("make_photo_renditions", stdout=io.StringIO())

    photo.refresh_from_db()
    assert photo.rendition_widths == [240, 480, 960]
    assert in_memory_storage.exists(rendition_name(photo.image.name, 960, "webp"))


@pytest.mark.parametrize("media_url_setting", ["/media/", "https://cdn.example/m/"])
def test_fast_media_urls_equal_the_storages_own(settings, media_url_setting):
    settings.MEDIA_URL = media_url_setting
    storage = FileSystemStorage()
    for name in (
        "products/renditions/d326zc-a6805bb915-240.jpg",
        "products/renditions/x_y-960.webp",
        "products/ผ้า ไหม-240.jpg",
    ):
        assert media_url(storage, name) == storage.url(name)
    memory = InMemoryStorage(base_url="https://bucket.example/")
    assert media_url(memory, "products/a-240.jpg") == memory.url("products/a-240.jpg")
