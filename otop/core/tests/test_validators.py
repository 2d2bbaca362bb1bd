import pytest

from otop.core.validators import normalize_thai_phone, thai_phone_is_valid, thai_tax_id_is_valid


@pytest.mark.parametrize("tax_id", ["0994000000006", "1101700207366"])
def test_valid_tax_ids(tax_id):
    assert thai_tax_id_is_valid(tax_id)


@pytest.mark.parametrize("tax_id", ["0994000000005", "110170020736", "11017002073661", "abcdefghijklm", ""])
def test_invalid_tax_ids(tax_id):
    assert not thai_tax_id_is_valid(tax_id)


@pytest.mark.parametrize("phone", ["0812345678", "081-234-5678", "+66812345678", "043123456", "02 123 4567"])
def test_valid_thai_phones(phone):
    assert thai_phone_is_valid(phone)


@pytest.mark.parametrize("phone", ["081234567", "0112345678", "12345", "", "0812345678901"])
def test_invalid_thai_phones(phone):
    assert not thai_phone_is_valid(phone)


def test_phone_is_normalized_to_local_digits():
    assert normalize_thai_phone("+66 81 234 5678") == "0812345678"
