from __future__ import annotations

from datetime import date

from django import template

from otop.core.thaidates import format_date

register = template.Library()


@register.filter
def be_month(value: date | None) -> str:
    """ "มี.ค. 2569" on Thai pages, "Mar 2026" on English ones."""
    if not value:
        return ""
    return format_date(value).split(" ", 1)[1]
