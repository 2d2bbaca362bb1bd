"""Template helpers loaded on every template: dates, money, bilingual fields, language links."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.urls import translate_url

from otop.core import money, thaidates
from otop.core.i18n import localized

register = template.Library()


@register.filter
def thaidate(value: date | datetime | None, style: str = "") -> str:
    """21 พ.ย. 2569 on Thai pages, 21 Nov 2026 on English ones ("long" spells the month)."""
    if not value:
        return ""
    return thaidates.format_date(value, long=style == "long")


@register.filter
def thaidatetime(value: datetime | None) -> str:
    if not value:
        return ""
    return thaidates.format_datetime(value)


@register.filter
def baht(value: Decimal | None) -> str:
    if value is None or value == "":
        return ""
    return money.format_baht(Decimal(value))


@register.filter
def tr(obj: Any, field: str) -> str:
    """{{ product|tr:"name" }} gives name_en on English pages, name_th otherwise."""
    return localized(obj, field)


@register.simple_tag(takes_context=True)
def switch_language_url(context: template.Context, language: str) -> str:
    """Return this page's URL in another language (/en/... for English, /... for Thai)."""
    request = context.get("request")
    if request is None:
        return "/" if language == "th" else "/en/"
    url = translate_url(request.get_full_path(), language)
    return url
