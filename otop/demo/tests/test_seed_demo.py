from django.core.management import call_command

from otop.accounts.models import User
from otop.catalog import demo as catalog_demo
from otop.catalog.barcodes import is_valid_ean13
from otop.catalog.models import Category, Product, ProductPhoto, Variant
from otop.geo.models import District, Province
from otop.producers.models import Producer


def snapshot():
    return list(Product.objects.order_by("sku").values_list("sku", "code", "name_th", "producer__name_th"))[:50]


def test_seed_demo_builds_a_believable_center_and_is_idempotent(db):
    call_command("seed_demo", products=120)
    assert Product.objects.count() == 120
    khon_kaen_districts = District.objects.filter(province_id="40")
    assert set(Producer.objects.filter(province_id="40").values_list("district_id", flat=True)) == set(
        khon_kaen_districts.values_list("code", flat=True)
    )
    assert Producer.objects.exclude(province_id="40").exists()
    assert set(Product.objects.values_list("category__code", flat=True)) == {
        "food",
        "textiles",
        "household",
        "souvenirs",
        "herbal",
    }
    assert not Product.objects.filter(name_en="").exists()
    assert not Product.objects.filter(story_th="").exists()
    assert all(is_valid_ean13(code) for code in Variant.objects.values_list("barcode", flat=True))
    assert set(User.objects.values_list("groups__name", flat=True)) >= {
        "manager",
        "staff",
        "cashier",
        "committee",
        "producer",
        "customer",
    }
    assert not Product.objects.filter(photos__isnull=True).exists()
    first = snapshot()
    photos = list(ProductPhoto.objects.order_by("product_id").values_list("product_id", "image"))
    call_command("seed_demo", products=120)
    assert Product.objects.count() == 120
    assert snapshot() == first
    assert list(ProductPhoto.objects.order_by("product_id").values_list("product_id", "image")) == photos


def test_seed_demo_grows_to_a_larger_catalogue(db):
    call_command("seed_demo", products=50)
    call_command("seed_demo", products=80)
    assert Product.objects.count() == 80
    assert Product.objects.values("code").distinct().count() == 80
    assert ProductPhoto.objects.count() == 80


def test_a_large_demo_catalogue_shares_a_few_drawn_pictures_per_category(db, monkeypatch):
    monkeypatch.setattr(catalog_demo, "PICTURES_PER_CATEGORY", 2)
    call_command("seed_demo", products=40)
    assert ProductPhoto.objects.count() == 40
    assert ProductPhoto.objects.values("image").distinct().count() == 2 * Category.objects.count()
    assert not ProductPhoto.objects.filter(rendition_widths=[]).exists()


def test_the_demo_home_and_listing_show_a_picture_on_every_card(db, client, monkeypatch):
    monkeypatch.setattr(catalog_demo, "PICTURES_PER_CATEGORY", 2)
    call_command("seed_demo", products=60)
    for path in ("/", "/categories/food/", "/en/categories/textiles/", "/search/?q=%E0%B8%9C%E0%B9%89%E0%B8%B2"):
        html = client.get(path).content.decode()
        cards = html.count('<li class="product-card">')
        assert cards >= 3, path
        assert html.count('<picture class="product-picture"><source type="image/webp"') == cards, path


def test_the_thai_and_english_demo_stories_say_the_same_thing(db):
    import random
    import re

    from otop.demo import services as demo
    from otop.demo.data import ITEMS

    # The demo's own builders, without the feature apps' data (seed_demo would take minutes here).
    demo._seed_producers(Province.objects.get(code="40"), random.Random(2569))
    producers = list(Producer.objects.select_related("district").order_by("otop_registration_number"))
    categories = {c.code: c for c in Category.objects.all()}
    catalogue = [(code, item) for code in ITEMS for item in ITEMS[code]]
    products = [demo._demo_product(index, 2569, catalogue, categories, producers)[0] for index in range(60)]
    numbers = re.compile(r"\d+")
    stories = [(p.story_th, p.story_en, p.district) for p in producers]
    stories += [(p.story_th, p.story_en, p.producer.district) for p in products]
    for story_th, story_en, district in stories:
        assert numbers.findall(story_th) == numbers.findall(story_en), (story_th, story_en)
        assert district.name_th in story_th and district.name_en in story_en, (story_th, story_en)
