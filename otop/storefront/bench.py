"""Figures for the public pages: home, listings, search, the story page (server time, bytes before the photo)."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.harness import Context, HttpCase, TimedCase
from otop.catalog.models import Product


def http_cases(context: Context) -> list[HttpCase]:
    # django-oscar 4.2 at 5,000 products on this kind of machine: home 5, category 7,
    # search 10, product page 110 req/s; the goal is 3× that.
    return [
        HttpCase("home (th)", "/", goal="≥ 15 req/s"),
        HttpCase("home (en)", "/en/"),
        HttpCase("category listing", "/categories/textiles/", goal="≥ 21 req/s"),
        HttpCase("district listing", "/districts/4001/"),
        HttpCase(
            "search ผ้าไหม", "/search/?q=%E0%B8%9C%E0%B9%89%E0%B8%B2%E0%B9%84%E0%B8%AB%E0%B8%A1", goal="≥ 30 req/s"
        ),
        HttpCase("search sai krok", "/search/?q=sai+krok", goal="≥ 30 req/s"),
        HttpCase("suggest ไส้ก", "/search/suggest/?q=%E0%B9%84%E0%B8%AA%E0%B9%89%E0%B8%81"),
        *_story_cases(),
    ]


def _story_product():

    return (
        Product.objects.filter(status=Product.Status.LISTED, is_basket=False, photos__isnull=False)
        .order_by("sku")
        .first()
        or Product.objects.filter(status=Product.Status.LISTED).order_by("sku").first()
    )


def _story_cases() -> list[HttpCase]:
    product = _story_product()
    if product is None:
        return []
    return [
        HttpCase("story page (th)", f"/products/{product.code}/", goal="p50 < 10 ms"),
        HttpCase("story page (en)", f"/en/products/{product.code}/", goal="p50 < 10 ms"),
        HttpCase("QR link /p/<code> (counts a scan)", f"/p/{product.code}", goal="p50 < 10 ms"),
        HttpCase("API product list", "/api/v1/products?limit=20"),
    ]


def _bytes_before_photo(html: bytes) -> dict:
    """What a phone downloads before the product photo: the page, its CSS, htmx and the preloaded font."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    sizes = {"html (gzip)": len(gzip.compress(html))}
    for name in ("css/site.css", "catalog/catalog.css", "vendor/htmx/htmx.min.js"):
        sizes[f"{name} (gzip)"] = len(gzip.compress(Path(finders.find(name)).read_bytes()))
    font = finders.find("vendor/sarabun/files/sarabun-thai-400-normal.woff2")
    sizes["sarabun thai 400 (woff2)"] = Path(font).stat().st_size
    bold = finders.find("vendor/sarabun/files/sarabun-thai-700-normal.woff2")
    sizes["sarabun thai 700 (woff2)"] = Path(bold).stat().st_size
    sizes["total KB"] = round(sum(sizes.values()) / 1024, 1)
    del settings
    return sizes


def timed_cases(context: Context) -> list[TimedCase]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import translation

    from otop.storefront import story

    product = _story_product()
    if product is None:
        return []
    factory = RequestFactory()

    def render_story(_iteration: int) -> object:
        request = factory.get(f"/products/{product.code}/")
        request.user = AnonymousUser()
        with translation.override("th"):
            return story.story(request, product.code)

    html = render_story(0).content
    return [
        TimedCase(
            "story view function (cached fragment)",
            render_story,
            iterations=500,
            goal="p50 < 10 ms",
            extra={"bytes before the photo": _bytes_before_photo(html), "goal": "< 150 KB"},
        )
    ]
