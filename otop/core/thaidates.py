"""Buddhist-era dates for Thai pages and documents, Gregorian for English ones.

Every "+ 543" in the project lives here.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone, translation

BUDDHIST_ERA_OFFSET = 543

THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
THAI_MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ENGLISH_MONTHS_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def buddhist_year(year: int) -> int:
    return year + BUDDHIST_ERA_OFFSET


def _as_local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: date | datetime, *, language: str | None = None, long: bool = False) -> str:
    """Return "21 พ.ย. 2569" in Thai (Buddhist era) or "21 Nov 2026" in English."""
    value = _as_local(value)
    language = (language or translation.get_language() or "th")[:2]
    if language == "th":
        months = THAI_MONTHS_LONG if long else THAI_MONTHS_SHORT
        return f"{value.day} {months[value.month - 1]} {buddhist_year(value.year)}"
    months = ENGLISH_MONTHS_LONG if long else ENGLISH_MONTHS_SHORT
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_datetime(value: datetime, *, language: str | None = None) -> str:
    """Return "21 พ.ย. 2569 14:05" in Thai or "21 Nov 2026 14:05" in English, Bangkok time."""
    local = _as_local(value)
    return f"{format_date(local, language=language)} {local:%H:%M}"
