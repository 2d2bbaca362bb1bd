from __future__ import annotations

from django import template

from otop.storefront.links import product_url as _product_url

register = template.Library()


@register.filter
def product_url(code: str) -> str:
    return _product_url(code)


@register.filter
def stars(count: int | None) -> str:
    return "★" * int(count or 0)
