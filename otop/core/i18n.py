"""Pick the Thai or English value of bilingual data fields (name_th / name_en)."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def current_language() -> str:
    return (translation.get_language() or "th")[:2]


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """Return obj.<field>_en on English pages when it is filled in, else obj.<field>_th."""
    language = language or current_language()
    if language == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_th", "") or ""
