"""Thai lists in dictionary order, English lists in English order, in Python and in the database."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from otop.core.collation import (
    NameOrderedModelChoiceField,
    collate,
    order_by_name,
    sort_by_name,
    thai_sort_key,
)
from otop.geo.models import District, Province

KHON_KAEN_SAMPLE = ["เปือยน้อย", "เมืองขอนแก่น", "มัญจาคีรี", "บ้านไผ่", "ชุมแพ", "แวงใหญ่", "โคกโพธิ์ไชย", "พล"]
IN_DICTIONARY_ORDER = ["โคกโพธิ์ไชย", "ชุมแพ", "บ้านไผ่", "เปือยน้อย", "พล", "มัญจาคีรี", "เมืองขอนแก่น", "แวงใหญ่"]


def test_leading_vowels_file_under_their_consonant():
    assert collate(KHON_KAEN_SAMPLE, language="th") == IN_DICTIONARY_ORDER
    # code-point order is what this replaces: every เ-word after every ม-word
    assert sorted(KHON_KAEN_SAMPLE).index("เมืองขอนแก่น") > sorted(KHON_KAEN_SAMPLE).index("มัญจาคีรี") + 1


def test_tone_marks_only_break_ties():
    assert thai_sort_key("ไก่") == thai_sort_key("ไก")
    assert collate(["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"], language="th") == [
        "กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู"]  # fmt: skip


def test_english_order_ignores_case():
    assert collate(["mueang Khon Kaen", "Ban Phai", "chum Phae"], language="en") == [
        "Ban Phai", "chum Phae", "mueang Khon Kaen"]  # fmt: skip


def test_sort_by_name_sorts_objects_by_the_name_shown():
    rows = [{"n": name} for name in KHON_KAEN_SAMPLE]
    assert [r["n"] for r in sort_by_name(rows, key=lambda r: r["n"], language="th")] == IN_DICTIONARY_ORDER


@pytest.mark.django_db
def test_the_database_orders_districts_like_a_dictionary():
    with translation.override("th"):
        names = list(order_by_name(District.objects.filter(province_id="40")).values_list("name_th", flat=True))
    assert names == collate(names, language="th")
    assert names.index("เมืองขอนแก่น") < names.index("แวงใหญ่")
    # among the ม: after มัญจาคีรี, before แวงน้อย; not after เปือยน้อย as code points would have it
    assert names.index("มัญจาคีรี") < names.index("เมืองขอนแก่น") < names.index("แวงน้อย")
    assert names.index("เปือยน้อย") < names.index("พล") < names.index("เมืองขอนแก่น")


@pytest.mark.django_db
def test_english_pages_order_by_the_english_name():
    with translation.override("en"):
        names = list(order_by_name(Province.objects.all()).values_list("name_en", flat=True))
    assert names == sorted(names, key=str.casefold)
    assert len(names) == 77


@pytest.mark.django_db
def test_a_form_lists_its_choices_in_the_readers_order():
    class PickDistrict(forms.Form):
        district = NameOrderedModelChoiceField(queryset=District.objects.filter(province_id="40"))

    with translation.override("th"):
        labels = [str(label) for value, label in PickDistrict().fields["district"].choices if value]
    assert labels == collate(labels, language="th")
    assert labels.index("มัญจาคีรี") < labels.index("เมืองขอนแก่น") < labels.index("แวงน้อย")
