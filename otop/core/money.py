"""Money is Decimal baht with satang precision. Every rounding rule lives here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SATANG = Decimal("0.01")
VAT_RATE = Decimal("0.07")
ZERO = Decimal("0.00")
# The largest amount a DecimalField(max_digits=12, decimal_places=2) holds.
MAX_AMOUNT = Decimal("9999999999.99")


class InvalidAmount(ValueError):
    """An amount is not a number of baht with at most two decimals."""


def to_satang(amount: Decimal) -> Decimal:
    """Round to the satang, halves away from zero (the rule used on Thai receipts)."""
    return Decimal(amount).quantize(SATANG, rounding=ROUND_HALF_UP)


def parse_amount(value: str | int | Decimal) -> Decimal:
    """Read an amount of baht exactly; more than two decimals is an error, never a rounding."""
    if isinstance(value, float):
        raise InvalidAmount("amounts must not be floats")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidAmount(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise InvalidAmount(f"not an amount: {value!r}")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidAmount(f"more than two decimals: {value!r}")
    if abs(amount) > MAX_AMOUNT:
        raise InvalidAmount(f"too large: {value!r}")
    return amount.quantize(SATANG)


def vat_included_in(gross: Decimal) -> Decimal:
    """Return the VAT part of a VAT-inclusive price (shelf prices include VAT)."""
    return to_satang(gross * VAT_RATE / (1 + VAT_RATE))


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    """Return the total of a line: a unit price times a whole quantity, to the satang."""
    return to_satang(unit_price * quantity)


def format_baht(amount: Decimal, *, symbol: bool = True) -> str:
    """Format as ฿1,234.50 (the same in Thai and English pages)."""
    text = f"{to_satang(amount):,.2f}"
    return f"฿{text}" if symbol else text


def baht_in_thai_words(amount: Decimal) -> str:
    """Return the amount in Thai words, as on cheques and statements (exact: no float on the way)."""
    from pythainlp.util import num_to_thaiword

    amount = to_satang(amount)
    sign = "ลบ" if amount < 0 else ""
    baht, satang = divmod(int(abs(amount) * 100), 100)
    if satang == 0:
        return f"{sign}{num_to_thaiword(baht)}บาทถ้วน"
    if baht == 0:
        return f"{sign}{num_to_thaiword(satang)}สตางค์"
    return f"{sign}{num_to_thaiword(baht)}บาท{num_to_thaiword(satang)}สตางค์"
