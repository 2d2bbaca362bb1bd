"""The decision letter: a Thai PDF (WeasyPrint, Sarabun from the fontpkg-sarabun package)."""

from __future__ import annotations

import fontpkg_sarabun
from django.template.loader import render_to_string
from django.utils import translation

from otop.core.selectors import center_profile
from otop.core.thaidates import format_date
from otop.selection.models import Decision


def _font_url(name: str) -> str:
    return (fontpkg_sarabun.ROOT / "files" / name).as_uri()


def decision_letter_pdf(*, decision: Decision) -> bytes:
    """Render the letter that tells the producer the committee's decision (always in Thai)."""
    from weasyprint import HTML

    application = decision.application
    with translation.override("th"):
        html = render_to_string(
            "selection/letter.html",
            {
                "decision": decision,
                "application": application,
                "producer": application.producer,
                "center": center_profile(),
                "decided_on": format_date(decision.decided_at, language="th", long=True),
                "regular_font": _font_url("Sarabun-Regular.ttf"),
                "bold_font": _font_url("Sarabun-Bold.ttf"),
            },
        )
    return HTML(string=html).write_pdf()
