"""Thai names in dictionary order where people read lists of them: the back-office catalogue on a desktop,
a category of the shop on a phone (เ แ โ ใ ไ words filed under their consonant, not after every ม-word)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from conftest import PASSWORD
from otop.catalog.tests.factories import ProductFactory
from otop.search.services import index_products

NAMES = ["แวงใหญ่ข้าวหอม", "เมืองขอนแก่นผ้าไหม", "เปือยน้อยผ้าฝ้าย", "มัญจาคีรีจักสาน", "กระนวนน้ำพริก"]
IN_DICTIONARY_ORDER = ["กระนวนน้ำพริก", "เปือยน้อยผ้าฝ้าย", "มัญจาคีรีจักสาน", "เมืองขอนแก่นผ้าไหม", "แวงใหญ่ข้าวหอม"]


@pytest.fixture
def products(db):
    made = [ProductFactory(name_th=name, name_en="") for name in NAMES]
    index_products(product_ids=[p.pk for p in made])
    cache.clear()
    return made


def _order_shown(texts: list[str]) -> list[str]:
    return [name for text in texts for name in IN_DICTIONARY_ORDER if name in text]


def test_staff_read_the_catalogue_in_dictionary_order(live_server, desktop, products, make_user, screenshot):
    make_user("staff", username="officer")
    desktop.goto(f"{live_server.url}/accounts/login/?next=/backoffice/catalog/")
    desktop.get_by_label("ชื่อผู้ใช้หรือหมายเลขโทรศัพท์").fill("officer")
    desktop.get_by_label("รหัสผ่าน").fill(PASSWORD)
    desktop.get_by_role("button", name="เข้าสู่ระบบ").click()
    rows = desktop.locator("tbody tr")
    expect(rows).to_have_count(len(NAMES))
    assert _order_shown(rows.all_inner_texts()) == IN_DICTIONARY_ORDER
    screenshot(desktop, "catalogue")


def test_a_shopper_reads_a_category_in_dictionary_order_on_a_phone(live_server, phone, products, screenshot):
    phone.goto(f"{live_server.url}/categories/textiles/?sort=name")
    cards = phone.locator(".product-card")
    expect(cards).to_have_count(len(NAMES))
    assert _order_shown(cards.all_inner_texts()) == IN_DICTIONARY_ORDER
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "category")
