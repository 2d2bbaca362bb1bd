"""Catalogue figures: 500 labels in one PDF, a 5,000-row CSV import (the story page: storefront/bench.py)."""

from __future__ import annotations

from bench.harness import Context, HttpCase, TimedCase


def http_cases(context: Context) -> list[HttpCase]:
    return [HttpCase("API categories", "/api/v1/categories")]


def timed_cases(context: Context) -> list[TimedCase]:
    from otop.catalog.models import Variant

    cases: list[TimedCase] = []
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

    with transaction.atomic():
        report = _import_5000_rows()
        transaction.set_rollback(True)
    return report


def _import_5000_rows():
    """Import 5,000 new products (the caller rolls back)."""
    from otop.catalog.csvio import COLUMNS, import_catalog

    rows = [",".join(COLUMNS)] + [
        f"BENCH-{n:05d},สินค้าทดสอบ {n},Bench item {n},food,{10 + n % 90}.00,กลุ่มผู้ผลิต {n % 50},ขอนแก่น,ชนบท,"
        f"คำอธิบาย,Description,<p>เรื่องราว</p>,<p>Story</p>,,100,5,3"
        for n in range(5000)
    ]
    report = import_catalog(data=("\n".join(rows) + "\n").encode())
    assert report.ok and report.created == 5000, report.problems[:3]
    return report
