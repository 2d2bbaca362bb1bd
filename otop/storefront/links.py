"""Links to pages other apps own, in one place."""

from __future__ import annotations

from django.urls import reverse


def product_url(code: str) -> str:
    """The product's story page (`storefront:story`, /products/<code>/, /en/… in English).

    Not the QR short link /p/<code>: that one is for printed codes and counts scans.
    """
    return reverse("storefront:story", kwargs={"code": code})
