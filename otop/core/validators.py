"""Validators for Thai identifiers: tax IDs, phone numbers, postcodes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def thai_tax_id_is_valid(value: str) -> bool:
    """Check a 13-digit Thai national or tax ID against its check digit."""
    if not re.fullmatch(r"\d{13}", value):
        return False
    total = sum(int(digit) * (13 - position) for position, digit in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])


def validate_thai_tax_id(value: str) -> None:
    if not thai_tax_id_is_valid(value):
        raise ValidationError(
            _("Enter a valid 13-digit tax or national ID (the last digit is a check digit)."),
            code="invalid_tax_id",
        )


def normalize_thai_phone(value: str) -> str:
    """Return a Thai phone number as local digits (0812345678); +66 and separators are removed."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (11, 10):
        digits = "0" + digits[2:]
    return digits


def thai_phone_is_valid(value: str) -> bool:
    """Mobile numbers have 10 digits (06, 08, 09); landlines 9 digits (02–07)."""
    digits = normalize_thai_phone(value)
    return bool(re.fullmatch(r"0[689]\d{8}", digits) or re.fullmatch(r"0[2-7]\d{7}", digits))


def validate_thai_phone(value: str) -> None:
    if not thai_phone_is_valid(value):
        raise ValidationError(_("Enter a Thai phone number, e.g. 081 234 5678 or 043 123 456."), code="invalid_phone")


def validate_postcode(value: str) -> None:
    if not re.fullmatch(r"[1-9]\d{4}", value or ""):
        raise ValidationError(_("A Thai postcode has 5 digits."), code="invalid_postcode")
