"""Typos forgiven (the spelling fallback, suggestions) and one ranking, asserted on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from otop.search.selectors import search, search_products, suggest
from otop.search.spelling import edit_cost, thai_key
from otop.search.tests.factories import listed_product


def names(query: str) -> list[str]:
    return [hit.product.name_th for hit in search_products(query, limit=20)]


@pytest.fixture
def shelf(db):
    items = [
        ("พวงกุญแจผ้าไหม ลายช้าง", "Silk keyring, elephant", "ผ้าไหมชิ้นเล็ก"),
        ("ผ้าไหมมัดหมี่ ลายนาคน้อย", "Mudmee silk, little naga pattern", "ทอมือ"),
        ("ผ้าไหม", "Thai silk", "ทอมือ"),
        ("ผ้าพันคอไหม ลายดอกแก้ว", "Silk scarf, orange-jasmine pattern", ""),
        ("ข้าวหอมมะลิ ข้าวใหม่", "Jasmine rice, new crop", "ปลูกที่ทุ่งกุลา"),
        ("ไส้กรอกอีสาน สูตรดั้งเดิม", "Isan sausage, traditional recipe", "หมักด้วยข้าวเหนียว"),
        ("ตุ๊กตาไดโนเสาร์ภูเวียง ผ้าฝ้าย", "Phu Wiang dinosaur doll, cotton", ""),
        ("แชมพูมะกรูด ไม่มีซิลิโคน", "Kaffir-lime shampoo, silicone-free", ""),
        ("กระเช้าผ้าไหมและชาใบหม่อน", "Silk and mulberry tea basket", "ของขวัญ"),
    ]
    return {
        name_th: listed_product(name_th=name_th, name_en=name_en, description_th=description, sku=f"S{n}")
        for n, (name_th, name_en, description) in enumerate(items)
    }


@pytest.mark.parametrize(
    ("typed", "answered", "first"),
    [
        ("มัดหมี้", "มัดหมี่", "ผ้าไหมมัดหมี่ ลายนาคน้อย"),  # a wrong tone mark
        ("มัดมี่", "มัดหมี่", "ผ้าไหมมัดหมี่ ลายนาคน้อย"),  # the silent ห dropped
        ("ข้าวหอมมะลี", "ข้าวหอมมะลิ", "ข้าวหอมมะลิ ข้าวใหม่"),  # a long vowel for a short one, in a compound
        ("ไส้กลอก", "ไส้กรอก", "ไส้กรอกอีสาน สูตรดั้งเดิม"),  # ล for ร
        ("ไดโนเสา", "ไดโนเสาร์", "ตุ๊กตาไดโนเสาร์ภูเวียง ผ้าฝ้าย"),  # the silent letter and its ์ dropped
        ("แชมภู", "แชมพู", "แชมพูมะกรูด ไม่มีซิลิโคน"),  # ภ for พ
        ("sausge", "sausage", "ไส้กรอกอีสาน สูตรดั้งเดิม"),
        ("jasmin", "jasmine", "ข้าวหอมมะลิ ข้าวใหม่"),
        ("kao hom mali", "khao hom mali", "ข้าวหอมมะลิ ข้าวใหม่"),  # a loose romanization
    ],
)
def test_a_misspelled_query_is_answered_by_its_correction(shelf, typed, answered, first):
    result = search(typed, limit=5)
    assert (result.query, result.typed, result.is_corrected) == (answered, typed, True)
    assert result.hits[0].product.name_th == first


def test_a_query_spelled_right_is_not_corrected(shelf):
    result = search("มัดหมี่")
    assert (result.query, result.is_corrected) == ("มัดหมี่", False)
    assert search("ปลาทูน่า").hits == [] and not search("ปลาทูน่า").is_corrected  # nothing near: nothing made up


def test_a_missing_tone_mark_needs_no_correction(shelf):
    result = search("มัดหมี")
    assert not result.is_corrected
    assert [hit.product.name_th for hit in result.hits] == ["ผ้าไหมมัดหมี่ ลายนาคน้อย"]


def test_a_name_that_is_the_query_beats_names_that_contain_it(shelf):
    # ผ้าไหม is the whole name of the cloth and the head of the mudmee's name; the keyring and the
    # basket only contain it; the scarf (ผ้าพันคอไหม) has only ไหม; descriptions come last.
    assert names("ผ้าไหม") == [
        "ผ้าไหม",
        "ผ้าไหมมัดหมี่ ลายนาคน้อย",
        "พวงกุญแจผ้าไหม ลายช้าง",
        "กระเช้าผ้าไหมและชาใบหม่อน",
    ]
    assert names("ผาไหม")[:2] == ["ผ้าไหม", "ผ้าไหมมัดหมี่ ลายนาคน้อย"]
    # English puts the head last: "Silk keyring" is a keyring, "Mudmee silk" is silk.
    assert names("silk")[:3] == ["ผ้าไหม", "ผ้าไหมมัดหมี่ ลายนาคน้อย", "พวงกุญแจผ้าไหม ลายช้าง"]


def test_every_word_of_a_multi_word_query_counts(shelf):
    assert names("ผ้าไหม ช้าง") == ["พวงกุญแจผ้าไหม ลายช้าง"]
    assert names("silk tea") == ["กระเช้าผ้าไหมและชาใบหม่อน"]
    assert names("ผ้าไหม ทอมือ") == ["ผ้าไหม", "ผ้าไหมมัดหมี่ ลายนาคน้อย"]  # the name word, then the description


def test_substrings_of_other_words_do_not_match(shelf):
    assert names("ม้า") == []  # not in ผ้าไหม
    assert names("ไหม") == ["ผ้าพันคอไหม ลายดอกแก้ว"]  # ผ้าไหม is a word of its own


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("ไส้ก", "ไส้กรอกอีสาน สูตรดั้งเดิม"),
        ("ไส้กลอ", "ไส้กรอกอีสาน สูตรดั้งเดิม"),  # a prefix with one typo still suggests
        ("sausg", "ไส้กรอกอีสาน สูตรดั้งเดิม"),
        ("มัดมี", "ผ้าไหมมัดหมี่ ลายนาคน้อย"),
        ("jasmi", "ข้าวหอมมะลิ ข้าวใหม่"),
    ],
)
def test_suggestions_forgive_a_typo_too(shelf, typed, first):
    assert suggest(typed)[0].name_th == first


def test_the_key_forgives_thai_look_alikes_and_marks():
    assert thai_key("ใหม") == thai_key("ไหม")
    assert thai_key("ไดโนเสาร์") == thai_key("ไดโนเสา")
    assert thai_key("มัดหมี้") == thai_key("มัดมี่") == thai_key("มัดหมี่")
    assert thai_key("ศาลา") == thai_key("สารา")
    assert edit_cost("มดหม", "มัดหม") == 0.5  # a dropped vowel sign costs half
    assert edit_cost("abc", "acb") == 1.0  # a transposition costs one


def test_short_words_are_not_turned_into_other_words(shelf):
    listed_product(name_th="มีดพร้า", sku="KNIFE", description_th="มี ด้าม ไม้")
    listed_product(name_th="ข้าวเกรียบ กรอบ", sku="CRISPS")
    assert not search("หมี").is_corrected  # bear is no typo of มี (have)
    assert not search("กรอก").is_corrected  # nor กรอก of กรอบ (crisp): one edit in a short word is another word


def test_codes_and_numbers_are_no_words_of_the_vocabulary(shelf):
    from otop.search.models import SearchTerm

    terms = set(SearchTerm.objects.values_list("term", flat=True))
    assert "ไส้กรอก" in terms and "sausage" in terms
    assert not any(character.isdigit() for term in terms for character in term)
    codes = {product.code.lower() for product in shelf.values()}
    assert not codes & terms


def test_words_no_product_has_are_left_out_when_the_rest_finds_something(shelf):
    result = search("ผ้าไหม ราคาถูก")  # "cheap" is in no name or description
    assert (result.query, result.is_corrected) == ("ผ้าไหม", True)
    assert result.hits[0].product.name_th == "ผ้าไหม"
    assert search("ราคาถูก").hits == []  # a single word is never left out


def test_a_short_word_missing_its_vowel_sign_is_corrected_inside_a_compound(db):
    listed_product(name_th="แจกันดินเผา ลายโบราณ", sku="VASE")
    listed_product(name_th="ผ้าไหมมัดหมี่ ลายนาคน้อย", sku="MUDMEE")
    vase = search("แจกนดินเผา")  # the ั of แจกัน dropped
    assert (vase.query, vase.is_corrected) == ("แจกันดินเผา", True)
    assert [hit.product.name_th for hit in vase.hits] == ["แจกันดินเผา ลายโบราณ"]
    silk = search("ผ้าไหมมดหมี่")  # the ั of มัดหมี่ dropped: the Did-you-mean text keeps every ม
    assert (silk.query, silk.is_corrected) == ("ผ้าไหมมัดหมี่", True)
    assert [hit.product.name_th for hit in silk.hits] == ["ผ้าไหมมัดหมี่ ลายนาคน้อย"]
