"""Every list of Thai names a user sees is in Thai dictionary order (otop.core.collation): the back-office
catalogue and its gift baskets, the shop's listing sorted by name, Django admin changelists and the models'
default order. Code-point order would put every เ-/แ-word after every ม-word."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import translation

from otop.catalog.models import Product
from otop.catalog.tests.factories import ProducerFactory, ProductFactory
from otop.core.collation import collate
from otop.geo.models import Province
from otop.producers.models import Producer
from otop.search.models import ListingEntry
from otop.search.services import index_products
from otop.storefront.selectors import ListingFilters, product_listing

pytestmark = pytest.mark.django_db

# Names as a district sample: the dictionary files เมือง among the ม and แวง under ว, after them all.
NAMES = ["แวงใหญ่ข้าวหอม", "เมืองขอนแก่นผ้าไหม", "เปือยน้อยผ้าฝ้าย", "มัญจาคีรีจักสาน", "กระนวนน้ำพริก"]
IN_DICTIONARY_ORDER = ["กระนวนน้ำพริก", "เปือยน้อยผ้าฝ้าย", "มัญจาคีรีจักสาน", "เมืองขอนแก่นผ้าไหม", "แวงใหญ่ข้าวหอม"]


def test_the_sample_is_one_code_points_get_wrong():
    assert collate(NAMES) == IN_DICTIONARY_ORDER
    assert sorted(NAMES) != IN_DICTIONARY_ORDER


@pytest.fixture
def products():
    made = [ProductFactory(name_th=name, name_en="") for name in NAMES]
    index_products(product_ids=[p.pk for p in made])  # on commit, outside tests
    return made


def _in_page(html: str, names=IN_DICTIONARY_ORDER) -> list[str]:
    found = {name: html.find(name) for name in names}
    assert all(at >= 0 for at in found.values()), found
    return sorted(found, key=found.get)


def test_the_back_office_catalogue_lists_products_in_dictionary_order(products, client_for):
    page = client_for("staff").get("/backoffice/catalog/")
    assert page.status_code == 200
    assert _in_page(page.content.decode()) == IN_DICTIONARY_ORDER


def test_the_gift_basket_list_is_in_dictionary_order(client_for):
    for name in NAMES:
        ProductFactory(name_th=name, is_basket=True)
    page = client_for("staff").get("/backoffice/catalog/baskets/")
    assert page.status_code == 200
    assert _in_page(page.content.decode()) == IN_DICTIONARY_ORDER


def test_the_shop_listing_sorted_by_name_is_in_dictionary_order(products):
    page, shown = product_listing(filters=ListingFilters(sort="name"))
    assert [p.name_th for p in shown] == IN_DICTIONARY_ORDER
    # the same order from the shop's category page a customer opens
    html = Client().get("/categories/textiles/?sort=name").content.decode()
    assert _in_page(html) == IN_DICTIONARY_ORDER


def test_a_renamed_product_moves_to_its_place_in_the_listing(products):
    last = products[0]  # แวงใหญ่…, last in the list
    last.name_th = "กกข้าวหอม"
    last.save(update_fields=["name_th"])
    index_products(product_ids=[last.pk])
    _page, shown = product_listing(filters=ListingFilters(sort="name"))
    assert [p.name_th for p in shown][0] == "กกข้าวหอม"


ENGLISH = {
    "กระนวนน้ำพริก": "Kranuan chili paste",
    "เปือยน้อยผ้าฝ้าย": "Pueai Noi cotton",
    "มัญจาคีรีจักสาน": "mancha Khiri basketry",
    "เมืองขอนแก่นผ้าไหม": "Mueang Khon Kaen silk",
    "แวงใหญ่ข้าวหอม": "",  # no English name: filed under its Thai one, after the Latin names
}


def test_english_pages_list_the_shop_in_english_order(products):
    for product in products:
        product.name_en = ENGLISH[product.name_th]
        product.save(update_fields=["name_en"])
    index_products(product_ids=[p.pk for p in products])
    with translation.override("en"):
        _page, shown = product_listing(filters=ListingFilters(sort="name"))
    assert [p.name_en or p.name_th for p in shown] == [
        "Kranuan chili paste", "mancha Khiri basketry", "Mueang Khon Kaen silk", "Pueai Noi cotton", "แวงใหญ่ข้าวหอม"
    ]  # fmt: skip
    with translation.override("th"):
        _page, shown = product_listing(filters=ListingFilters(sort="name"))
    assert [p.name_th for p in shown] == IN_DICTIONARY_ORDER


def test_the_migration_writes_the_keys_the_indexer_writes(products):
    products[1].name_en = "Mueang Khon Kaen silk"
    products[1].save(update_fields=["name_en"])
    index_products(product_ids=[products[1].pk])
    written = list(ListingEntry.objects.order_by("pk").values_list("sort_name", "sort_name_en"))
    ListingEntry.objects.update(sort_name="", sort_name_en="")
    migration = importlib.import_module("otop.search.migrations.0008_listing_name_in_dictionary_order")
    migration.keys_from_names(apps, SimpleNamespace(connection=connection))
    assert list(ListingEntry.objects.order_by("pk").values_list("sort_name", "sort_name_en")) == written
    assert ("mueang khon kaen silk",) in [(en,) for _th, en in written]


def test_models_default_to_dictionary_order():
    for name in NAMES:
        ProducerFactory(name_th=name)
    assert list(Producer.objects.values_list("name_th", flat=True)) == IN_DICTIONARY_ORDER
    provinces = list(Province.objects.values_list("name_th", flat=True))
    assert provinces == collate(provinces)
    # แพร่ among the พ, before ภูเก็ต; code points would put it after every ภ- and ม-word
    assert provinces.index("แพร่") < provinces.index("ภูเก็ต") < provinces.index("มหาสารคาม")


def test_models_default_to_dictionary_order_for_products(products):
    assert list(Product.objects.values_list("name_th", flat=True)) == IN_DICTIONARY_ORDER


@pytest.fixture
def admin_client(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def _admin_rows(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.split('id="result_list"', 1)[1], flags=re.S)
    return [name for row in rows for name in NAMES if name in row]


def test_the_admin_lists_products_and_producers_in_dictionary_order(products, admin_client):
    assert _admin_rows(admin_client, "/admin/catalog/product/") == IN_DICTIONARY_ORDER
    # the name column sorts the same way when clicked, both ways (columns count from 0: product SKU 0, name 1)
    assert _admin_rows(admin_client, "/admin/catalog/product/?o=1") == IN_DICTIONARY_ORDER
    assert _admin_rows(admin_client, "/admin/catalog/product/?o=-1") == IN_DICTIONARY_ORDER[::-1]
    Producer.objects.exclude(pk__in=[p.producer_id for p in products]).delete()
    for product in products:
        Producer.objects.filter(pk=product.producer_id).update(name_th=product.name_th)
    assert _admin_rows(admin_client, "/admin/producers/producer/") == IN_DICTIONARY_ORDER
    assert _admin_rows(admin_client, "/admin/producers/producer/?o=-0") == IN_DICTIONARY_ORDER[::-1]
