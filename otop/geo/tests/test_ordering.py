"""Places listed in Thai dictionary order on Thai pages and English order on English ones (otop.core.collation)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from otop.core.collation import NameOrderedModelChoiceField, collate
from otop.geo import selectors
from otop.geo.models import District


@pytest.mark.django_db
def test_the_database_orders_districts_like_a_dictionary():
    with translation.override("th"):
        names = list(selectors.districts_of(province_code="40").values_list("name_th", flat=True))
    assert names == collate(names)
    assert names.index("เมืองขอนแก่น") < names.index("แวงใหญ่")
    # among the ม: after มัญจาคีรี, before แวงน้อย; not after เปือยน้อย as code points would have it
    assert names.index("มัญจาคีรี") < names.index("เมืองขอนแก่น") < names.index("แวงน้อย")
    assert names.index("เปือยน้อย") < names.index("พล") < names.index("เมืองขอนแก่น")


@pytest.mark.django_db
def test_english_pages_order_by_the_english_name():
    with translation.override("en"):
        names = list(selectors.provinces().values_list("name_en", flat=True))
    assert names == sorted(names, key=str.casefold)
    assert len(names) == 77


@pytest.mark.django_db
def test_a_form_lists_its_choices_in_the_readers_order():
    class PickDistrict(forms.Form):
        district = NameOrderedModelChoiceField(queryset=District.objects.filter(province_id="40"))

    with translation.override("th"):
        labels = [str(label) for value, label in PickDistrict().fields["district"].choices if value]
    assert labels == collate(labels)
    assert labels.index("มัญจาคีรี") < labels.index("เมืองขอนแก่น") < labels.index("แวงน้อย")
