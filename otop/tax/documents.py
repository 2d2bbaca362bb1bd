"""Tax documents and the monthly output-tax report as PDFs: WeasyPrint with the Sarabun font, Thai with
Buddhist-era dates and the amount in Thai words; an English copy on request."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from otop.core.money import baht_in_thai_words
from otop.tax.models import TaxDocument


def sarabun_url(weight: str = "Regular") -> str:
    import fontpkg_sarabun

    return (fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf").as_uri()


def render_pdf(template: str, context: dict, *, language: str = "th") -> bytes:
    from weasyprint import HTML

    with translation.override("en" if language == "en" else "th"):
        html = render_to_string(template, {**context, "font_url": sarabun_url(), "bold_font_url": sarabun_url("Bold")})
    return HTML(string=html).write_pdf()


def document_pdf(document: TaxDocument, *, language: str = "th") -> bytes:
    """The document as printed: Thai original, or its English copy (the amount in Thai words on both)."""
    return render_pdf(
        "tax/pdf/document.html",
        {
            "document": document,
            "lines": list(document.lines.all()),
            "amount_in_words": baht_in_thai_words(document.total),
        },
        language=language,
    )
