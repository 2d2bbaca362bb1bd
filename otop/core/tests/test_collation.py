"""Thai lists in dictionary order, English lists in English order, in Python and in the database."""

from __future__ import annotations

from otop.core.collation import collate, sort_by_name, thai_sort_key

KHON_KAEN_SAMPLE = ["เปือยน้อย", "เมืองขอนแก่น", "มัญจาคีรี", "บ้านไผ่", "ชุมแพ", "แวงใหญ่", "โคกโพธิ์ไชย", "พล"]
IN_DICTIONARY_ORDER = ["โคกโพธิ์ไชย", "ชุมแพ", "บ้านไผ่", "เปือยน้อย", "พล", "มัญจาคีรี", "เมืองขอนแก่น", "แวงใหญ่"]


def test_leading_vowels_file_under_their_consonant():
    assert collate(KHON_KAEN_SAMPLE) == IN_DICTIONARY_ORDER
    # code-point order is what this replaces: every เ-word after every ม-word
    assert sorted(KHON_KAEN_SAMPLE).index("เมืองขอนแก่น") > sorted(KHON_KAEN_SAMPLE).index("มัญจาคีรี") + 1


def test_tone_marks_only_break_ties():
    assert thai_sort_key("ไก่") == thai_sort_key("ไก")
    assert collate(["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"]) == [
        "กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู"]  # fmt: skip


def test_english_order_ignores_case():
    assert collate(["mueang Khon Kaen", "Ban Phai", "chum Phae"]) == [
        "Ban Phai", "chum Phae", "mueang Khon Kaen"]  # fmt: skip


def test_sort_by_name_sorts_objects_by_the_name_shown():
    rows = [{"n": name} for name in KHON_KAEN_SAMPLE]
    assert [r["n"] for r in sort_by_name(rows, key=lambda r: r["n"])] == IN_DICTIONARY_ORDER
