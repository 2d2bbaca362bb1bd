"""EAN-13 check digits. python-barcode silently rewrites a wrong check digit, so we check first."""

from __future__ import annotations

import re

IN_STORE_PREFIX = "20"  # GS1 prefixes 20–29 are for in-store use


def ean13_check_digit(first_twelve: str) -> int:
    if not re.fullmatch(r"\d{12}", first_twelve):
        raise ValueError("an EAN-13 body has exactly 12 digits")
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    return bool(re.fullmatch(r"\d{13}", code or "")) and ean13_check_digit(code[:12]) == int(code[12])


def in_store_ean13(number: int) -> str:
    """Return the in-store EAN-13 (prefix 20) for a sequence number."""
    body = f"{IN_STORE_PREFIX}{number:010d}"
    if len(body) != 12:
        raise ValueError("in-store sequence exhausted")
    return body + str(ean13_check_digit(body))
