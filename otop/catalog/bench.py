"""Figures the catalog issue names: the story page (server time, bytes before the photo), 500 labels, CSV import."""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.harness import Context, HttpCase, TimedCase


def _story_product():
    from otop.catalog.models import Product

    return (
        Product.objects.filter(status=Product.Status.LISTED, is_basket=False, photos__isnull=False)
        .order_by("sku")
        .first()
        or Product.objects.filter(status=Product.Status.LISTED).order_by("sku").first()
    )


def http_cases(context: Context) -> list[HttpCase]:
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

    from otop.catalog import views
    from otop.catalog.models import Variant

    product = _story_product()
    cases: list[TimedCase] = []
    if product is not None:
        factory = RequestFactory()

        def render_story(_iteration: int) -> object:
            request = factory.get(f"/products/{product.code}/")
            request.user = AnonymousUser()
            with translation.override("th"):
                return views.story(request, product.code)

        html = render_story(0).content
        cases.append(
            TimedCase(
                "story view function (cached fragment)",
                render_story,
                iterations=500,
                goal="p50 < 10 ms",
                extra={"bytes before the photo": _bytes_before_photo(html), "goal": "< 150 KB"},
            )
        )

    variants = list(Variant.objects.select_related("product").order_by("sku")[:500])
    if len(variants) == 500:
        from otop.catalog.labels import LAYOUTS, labels_for, render_labels_pdf

        def render_500_labels(_iteration: int) -> object:
            labels = labels_for(variants, base_url=context.base_url)
            return render_labels_pdf(labels, layout=LAYOUTS["3x8"])

        cases.append(TimedCase("500 labels, 3×8 A4 PDF", render_500_labels, iterations=3, goal="< 10 s"))

    cases.append(TimedCase("import 5,000 CSV rows (rolled back)", _import_5000, iterations=1, goal="< 20 s"))
    return cases


def _import_5000(_iteration: int) -> object:
    from django.db import transaction

    from otop.catalog.csvio import COLUMNS, import_catalog

    rows = [",".join(COLUMNS)] + [
        f"BENCH-{n:05d},สินค้าทดสอบ {n},Bench item {n},food,{10 + n % 90}.00,กลุ่มผู้ผลิต {n % 50},ขอนแก่น,ชนบท,"
        f"คำอธิบาย,Description,<p>เรื่องราว</p>,<p>Story</p>,,100,5,3"
        for n in range(5000)
    ]
    with transaction.atomic():
        report = import_catalog(data=("\n".join(rows) + "\n").encode())
        assert report.ok and report.created == 5000, report.problems[:3]
        transaction.set_rollback(True)
    return report
