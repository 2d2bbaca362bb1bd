"""On a phone, a customer types Thai with a typo: suggestions still come, and the results page says
"Did you mean …" and shows the corrected query's products, the plain cloth before the keyring."""

from __future__ import annotations

from django.core.cache import cache
from playwright.sync_api import expect

from otop.search.tests.factories import listed_product


def test_a_misspelled_thai_search_on_a_phone_is_corrected_and_says_so(live_server, phone, screenshot):
    listed_product(name_th="พวงกุญแจผ้าไหม ลายช้าง", name_en="Silk keyring, elephant", price="59.00", sku="KEY-1")
    listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", price="1250.50", sku="SILK-1")
    listed_product(name_th="ข้าวหอมมะลิ ข้าวใหม่", name_en="Jasmine rice, new crop", price="80.00", sku="RICE-1")
    cache.clear()

    page = phone
    page.goto(live_server.url + "/")
    page.locator("#search-q").fill("มัดมี")  # the silent ห left out
    expect(page.locator("#search-suggestions li")).to_have_count(1)
    expect(page.locator("#search-suggestions li")).to_contain_text("ผ้าไหมมัดหมี่")

    page.goto(live_server.url + "/search/?q=ข้าวหอมมะลี")
    expect(page.locator(".did-you-mean")).to_contain_text("ข้าวหอมมะลิ")
    expect(page.locator(".product-card")).to_have_count(1)
    expect(page.locator(".product-card")).to_contain_text("ข้าวหอมมะลิ")
    screenshot(page, "search-did-you-mean")

    page.goto(live_server.url + "/search/?q=ผ้าไหม")
    expect(page.locator(".product-card")).to_have_count(2)
    expect(page.locator(".product-card").first).to_contain_text("ผ้าไหมมัดหมี่")
    expect(page.locator(".did-you-mean")).to_have_count(0)
