import pytest

from otop.catalog.models import Product
from otop.search.selectors import SearchFilters, search_products, suggest
from otop.search.services import rebuild_search_index
from otop.search.tests.factories import listed_product
from otop.search.text import analyse, query_terms, romanize_word


def skus(query, **kwargs):
    return [hit.sku for hit in search_products(query, limit=20, **kwargs)]


@pytest.fixture
def shelf(db):
    return {
        "sausage": listed_product(name_th="ไส้กรอกอีสาน สูตรดั้งเดิม", name_en="Isan sausage", sku="SAUSAGE"),
        "mudmee": listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", name_en="Mudmee silk", sku="MUDMEE"),
        "cloth": listed_product(name_th="ผ้าขาวม้า ลายตาราง", name_en="Pha khao ma cloth", sku="CLOTH"),
        "horse": listed_product(name_th="ตุ๊กตาม้า ผ้าฝ้าย", name_en="Horse doll", sku="HORSE-DOLL"),
        "rice": listed_product(name_th="ข้าวหอมมะลิ", name_en="Jasmine rice", sku="RICE", description_th="ข้าวใหม่ปลอดสาร"),
        "soap": listed_product(name_th="สบู่สมุนไพร", name_en="Herbal soap", sku="SOAP", description_th="ผสมข้าว"),
    }


def test_thai_query_finds_the_thai_word(shelf):
    assert skus("ไส้กรอก") == ["SAUSAGE"]


def test_romanized_query_finds_thai_text(shelf):
    assert skus("sai krok") == ["SAUSAGE"]


def test_missing_tone_mark_still_finds_the_product(shelf):
    assert skus("มัดหมี") == ["MUDMEE"]


def test_horse_does_not_match_inside_pha_khao_ma(shelf):
    assert skus("ม้า") == ["HORSE-DOLL"]
    assert skus("ผ้าขาวม้า") == ["CLOTH"]


def test_name_match_ranks_above_description_match(shelf):
    assert skus("ข้าว") == ["RICE", "SOAP"]


def test_name_match_ranks_above_description_match_whatever_the_creation_order(db):
    listed_product(name_th="ชาใบหม่อน", name_en="Mulberry tea", sku="TEA", description_th="ชงกับน้ำผึ้ง")
    listed_product(name_th="น้ำผึ้งป่า", name_en="Wild honey", sku="HONEY", description_th="จากป่า")
    assert skus("น้ำผึ้ง") == ["HONEY", "TEA"]


def test_exact_tone_marks_rank_first_and_other_marks_only_loosely(shelf):
    listed_product(name_th="ข่าว ชุมชน", sku="NEWS")
    # ข่าว (news) and ข้าว (rice) differ only by a tone mark: the exact spelling wins.
    assert skus("ข่าว") == ["NEWS", "RICE", "SOAP"]
    assert skus("ข้าว") == ["RICE", "SOAP", "NEWS"]


def test_english_plural_finds_singular(shelf):
    assert skus("sausages") == ["SAUSAGE"]


def test_unlisted_products_are_not_found_and_filters_apply(shelf):
    Product.objects.filter(sku="SOAP").update(status=Product.Status.DELISTED)
    rebuild_search_index()
    assert skus("ข้าว") == ["RICE"]
    assert skus("ข้าว", filters=SearchFilters(category="herbal")) == []
    assert skus("ข้าว", filters=SearchFilters(listed_only=False)) == ["RICE", "SOAP"]


def test_saving_a_product_updates_the_index(shelf, django_capture_on_commit_callbacks):
    product = shelf["soap"]
    with django_capture_on_commit_callbacks(execute=True):
        product.name_th = "สบู่ขมิ้น"
        product.save()
    assert skus("ขมิ้น") == ["SOAP"]
    assert "SOAP" not in skus("สมุนไพร")


def test_suggestions_complete_an_unfinished_thai_word(shelf):
    assert [s.code for s in suggest("ไส้ก")] == [shelf["sausage"].code]
    assert [s.name_th for s in suggest("mudm")] == ["ผ้าไหมมัดหมี่ ลายนาคน้อย"]


def test_analysis_gives_exact_and_loose_forms():
    tokens = analyse("มัดหมี่")
    assert tokens.exact[:3] == ["มัดหมี่", "matmi", "mat"]
    assert "มัดหมี" in tokens.loose
    assert romanize_word("ใหม่") == ("mai",)
    assert [t.exact for t in query_terms("ผ้า ไหม  ผ้า")] == [("ผ้า",), ("ไหม",)]
