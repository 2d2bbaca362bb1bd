from decimal import Decimal

import pytest

from otop.core.money import (
    InvalidAmount,
    baht_in_thai_words,
    format_baht,
    parse_amount,
    to_satang,
    vat_included_in,
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("1.125", "1.13"), ("-1.125", "-1.13"), ("10", "10.00")],
)
def test_to_satang_rounds_half_away_from_zero(amount, expected):
    assert to_satang(Decimal(amount)) == Decimal(expected)


def test_vat_included_in_a_shelf_price():
    assert vat_included_in(Decimal("107.00")) == Decimal("7.00")
    assert vat_included_in(Decimal("350.00")) == Decimal("22.90")


@pytest.mark.parametrize("text", ["456.255", "1e3x", "abc", "NaN", "Infinity"])
def test_parse_amount_refuses_what_is_not_baht_and_satang(text):
    with pytest.raises(InvalidAmount):
        parse_amount(text)


def test_parse_amount_refuses_floats():
    with pytest.raises(InvalidAmount):
        parse_amount(456.25)


def test_parse_amount_reads_commas_and_keeps_satang():
    assert parse_amount("1,234.5") == Decimal("1234.50")


def test_format_baht_and_thai_words():
    assert format_baht(Decimal("1234.5")) == "฿1,234.50"
    assert baht_in_thai_words(Decimal("1234.50")) == "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"
    assert baht_in_thai_words(Decimal("21.00")) == "ยี่สิบเอ็ดบาทถ้วน"
    assert baht_in_thai_words(Decimal("0.25")) == "ยี่สิบห้าสตางค์"
    assert baht_in_thai_words(Decimal("1000000.01")) == "หนึ่งล้านบาทหนึ่งสตางค์"
