"""Links to pages other apps own, in one place."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import translation


def product_url(code: str) -> str:
    """The product's story page (catalog app): its named URL once it exists, else the QR path /p/<code>."""
    for name in ("catalog:product", "catalog:product-story"):
        try:
            return reverse(name, args=[code])
        except NoReverseMatch:
            continue
    prefix = "/en" if (translation.get_language() or "th")[:2] == "en" else ""
    return f"{prefix}/p/{code}"
