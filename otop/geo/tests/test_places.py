import pytest

from otop.geo.models import District, Province, Subdistrict
from otop.geo.selectors import InvalidAddress, resolve_address


def test_all_of_thailand_is_loaded(db):
    assert Province.objects.count() == 77
    assert District.objects.filter(province__name_en="Khon Kaen").count() == 26
    assert Subdistrict.objects.count() > 7000


@pytest.mark.parametrize(
    ("province", "district", "subdistrict"),
    [
        ("ขอนแก่น", "เมืองขอนแก่น", "ในเมือง"),
        ("Khon Kaen", "Mueang Khon Kaen", "Nai Mueang"),
        ("จ.ขอนแก่น", "อ.เมือง", "ต.ในเมือง"),
        ("40", "4001", "400101"),
    ],
)
def test_an_address_resolves_from_thai_english_or_codes(db, province, district, subdistrict):
    place = resolve_address(province=province, district=district, subdistrict=subdistrict, postcode="40000")
    assert place.subdistrict.code == "400101"
    assert place.district.name_en == "Mueang Khon Kaen"


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"province": "Atlantis"}, "province"),
        ({"district": "เมืองอุดรธานี"}, "district"),
        ({"subdistrict": "หนองโก"}, "subdistrict"),  # a real subdistrict, but of Kranuan district
        ({"postcode": "10110"}, "postcode"),
    ],
)
def test_a_wrong_part_is_named(db, parts, field):
    address = {"province": "ขอนแก่น", "district": "เมืองขอนแก่น", "subdistrict": "ในเมือง", "postcode": "40000"}
    address.update(parts)
    with pytest.raises(InvalidAddress) as raised:
        resolve_address(**address)
    assert list(raised.value.fields) == [field]


@pytest.mark.parametrize(
    ("field", "message"),
    [("province", "กรุณาเลือกจังหวัด"), ("district", "กรุณาเลือกอำเภอ"), ("subdistrict", "กรุณาเลือกตำบล")],
)
def test_a_missing_part_asks_to_choose_it(db, field, message):
    address = {"province": "ขอนแก่น", "district": "เมืองขอนแก่น", "subdistrict": "ในเมือง", "postcode": "40000"}
    address[field] = " "
    with pytest.raises(InvalidAddress) as raised:
        resolve_address(**address)
    assert raised.value.fields == {field: [message]}
