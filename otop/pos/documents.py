"""The Z-report as PDF: WeasyPrint with the Sarabun font from its package."""

from __future__ import annotations

from django.template.loader import render_to_string

from otop.core.selectors import center_profile
from otop.pos.models import Shift
from otop.pos.selectors import z_report


def sarabun_url() -> str:
    import fontpkg_sarabun

    return (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()


def z_report_pdf(shift: Shift) -> bytes:
    """Render the shift's Z-report (by payment method, category and producer) as a PDF."""
    from weasyprint import HTML

    html = render_to_string(
        "pos/z_report.html",
        {"report": z_report(shift), "center": center_profile(), "font_url": sarabun_url(), "shift": shift},
    )
    return HTML(string=html).write_pdf()
