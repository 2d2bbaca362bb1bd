"""The listing entries that pages sort on, and PostgreSQL's tiered ranking (name first, then descriptions)."""

import importlib

import pytest
from django.db import connection

from otop.catalog.models import Product
from otop.core.collation import thai_sort_key
from otop.search import selectors
from otop.search.models import ListingEntry
from otop.search.selectors import search_products
from otop.search.services import NAMES_VECTOR, index_products, rebuild_search_index
from otop.search.tests.factories import listed_product

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's ranking")


def skus(query, **kwargs):
    return [hit.sku for hit in search_products(query, limit=20, **kwargs)]


def test_each_indexed_product_has_a_listing_entry_that_follows_its_changes(db):
    rice = listed_product(name_th="ข้าวหอมมะลิ", sku="RICE", price="120.00")
    entry = ListingEntry.objects.get(product=rice)
    assert (entry.is_listed, entry.sort_name, entry.category_code, str(entry.min_price)) == (
        True,
        thai_sort_key("ข้าวหอมมะลิ"),  # as the dictionary files it: tone marks only break ties
        "food",
        "120.00",
    )
    Product.objects.filter(pk=rice.pk).update(name_th="ข้าวเหนียว", status=Product.Status.DELISTED)
    index_products(product_ids=[rice.pk])
    entry = ListingEntry.objects.get(product=rice)
    assert (entry.is_listed, entry.sort_name) == (False, thai_sort_key("ข้าวเหนียว"))

    rice.delete()
    index_products(product_ids=[rice.pk])
    assert not ListingEntry.objects.exists()


def test_rebuilding_the_index_rebuilds_the_entries(db):
    listed_product(name_th="ข้าวหอมมะลิ", sku="RICE")
    ListingEntry.objects.all().delete()
    assert rebuild_search_index() == 1
    assert ListingEntry.objects.count() == 1


def test_the_migration_builds_name_vectors_as_the_service_does():
    migration = importlib.import_module("otop.search.migrations.0004_listing_entries")
    assert migration.NAMES == NAMES_VECTOR


@postgres_only
def test_loose_forms_are_stored_marked_so_the_index_tells_them_from_exact_ones(db):
    mudmee = listed_product(name_th="ผ้าไหมมัดหมี่", sku="MUDMEE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT names::text FROM search_listingentry WHERE product_id = %s", [mudmee.pk])
        (names,) = cursor.fetchone()
    assert "'ๆมัดหมี'" in names  # the loose form, marked
    assert "'มัดหมี':" not in names  # never as if it were an exact one
    assert skus("มัดหมี") == ["MUDMEE"]


def test_description_matches_come_after_name_matches_newest_first(db):
    older = listed_product(name_th="สบู่สมุนไพร", sku="SOAP-OLD", description_th="ผสมข้าว")
    newer = listed_product(name_th="แชมพู", sku="SHAMPOO-NEW", description_th="ผสมข้าว")
    listed_product(name_th="ข้าวหอมมะลิ", sku="RICE")
    assert older.pk < newer.pk
    assert skus("ข้าว") == ["RICE", "SHAMPOO-NEW", "SOAP-OLD"]
    scores = [hit.score for hit in search_products("ข้าว")]
    assert scores[0] > 3 >= scores[1] > scores[2] > 2  # one tier each side of 3


def test_a_page_beyond_the_newest_products_still_finds_older_matches(db, monkeypatch):
    products = [listed_product(name_th=f"สินค้า {n}", sku=f"P{n}", description_th="ผสมข้าว") for n in range(5)]
    listed_product(name_th="แชมพู", sku="NO-MATCH")  # the newest product does not match
    expected = [p.sku for p in reversed(products)]
    assert skus("ข้าว") == expected
    monkeypatch.setattr(selectors, "RECENT_WINDOW", 2)  # the window holds fewer matches than asked for
    assert skus("ข้าว") == expected
    assert [hit.sku for hit in search_products("ข้าว", limit=2, offset=2)] == expected[2:4]
