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


@register.simple_tag(takes_context=True)
def cart_line_count(context) -> int:
    """The header's cart count, from the session or (signed in) the account's cart."""
    from otop.storefront.cart import line_count

    request = context.get("request")
    return line_count(request) if request is not None and hasattr(request, "session") else 0
