"""PDFs for producers: the delivery receipt of an intake and the monthly statement.

WeasyPrint with the Sarabun font from the fontpkg-sarabun package; Thai, Buddhist-era dates.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from otop.core.money import baht_in_thai_words
from otop.core.selectors import center_profile
from otop.inventory.models import Intake, Settlement
from otop.producers.selectors import confirmed_bank_accounts


def sarabun_url(weight: str = "Regular") -> str:
    import fontpkg_sarabun

    return (fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf").as_uri()


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("th"):
        html = render_to_string(
            template,
            {**context, "center": center_profile(), "font_url": sarabun_url(), "bold_font_url": sarabun_url("Bold")},
        )
    return HTML(string=html).write_pdf()


def intake_receipt_pdf(intake: Intake) -> bytes:
    """The delivery receipt (ใบรับสินค้าฝากขาย) the producer keeps."""
    lines = list(intake.lines.select_related("variant__product"))
    return _pdf(
        "inventory/pdf/intake_receipt.html",
        {"intake": intake, "lines": lines, "units": sum(line.quantity for line in lines)},
    )


def settlement_pdf(settlement: Settlement) -> bytes:
    """The producer's statement (ใบแจ้งยอดการจ่ายเงินผู้ฝากขาย), with the amount in Thai words and the
    confirmed account it is paid into (its number masked but for the last four digits)."""

    return _pdf(
        "inventory/pdf/statement.html",
        {
            "settlement": settlement,
            "lines": list(settlement.lines.all()),
            "amount_in_words": baht_in_thai_words(settlement.net_payable),
            "account": confirmed_bank_accounts(producer_ids=[settlement.producer_id]).get(settlement.producer_id),
        },
    )
