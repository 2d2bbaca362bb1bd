"""The PDFs say what the law asks: their text is extracted and checked."""

from datetime import UTC, datetime
from decimal import Decimal

import pypdfium2
import pytest

from otop.core.models import CenterProfile
from otop.core.selectors import center_profile
from otop.tax import services
from otop.tax.documents import document_pdf
from otop.tax.models import DocumentKind

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def same_glyphs(text: str) -> str:
    """Sarabun draws sara am (ำ) as nikhahit + the glyph of sara aa (า), and the PDF's text map gives that
    one glyph back as ำ wherever it stands; compare text with both vowels folded into one. The extracted
    text also breaks lines around some combining vowels: compare without white space. A hyphen where a line
    could break comes back as U+FFFE."""
    return "".join(text.replace("\ufffe", "-").replace("\u02f8", "").replace("\u0e4d", "").replace("ำ", "า").split())


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    text = "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    return same_glyphs(text)


@pytest.fixture
def invoice():
    CenterProfile.objects.filter(pk=1).update(tax_id="0405551000015", branch_code="00000")
    center_profile.__globals__["cache"].clear()
    return services.issue_document(
        kind=DocumentKind.FULL, source_type="orders.order", source_id=1,
        lines=[services.SoldLine(name="ผ้าไหมมัดหมี่", quantity=2, unit_price=Decimal("1250.00"),
                                 total=Decimal("2500.00"))],
        buyer=services.Buyer(name="บริษัท ตะกร้าของขวัญ จำกัด", address="ถนนมิตรภาพ ขอนแก่น 40000",
                             tax_id="0105551234567", branch="1"),
        now=NOW,
    )  # fmt: skip


def test_the_full_tax_invoice_pdf_names_seller_buyer_branches_vat_and_the_amount_in_words(invoice):
    text = pdf_text(document_pdf(invoice))
    assert text.count(same_glyphs("ใบกำกับภาษี")) == 1
    for expected in (
        "0405551000015", "สำนักงานใหญ่",  # the seller's tax ID and head office
        "บริษัท ตะกร้าของขวัญ จำกัด", "0105551234567", "สาขาที่ 00001",  # the buyer
        "TI-2569-000001", "5 ธันวาคม 2569",  # number, Buddhist-era date
        "2,336.45", "163.55", "2,500.00",  # value before VAT, VAT, total
        "สองพันห้าร้อยบาทถ้วน",
    ):  # fmt: skip
        assert same_glyphs(expected) in text, expected


def test_the_english_copy_and_the_credit_note(invoice):
    english = pdf_text(document_pdf(invoice, language="en"))
    assert "Taxinvoice" in english and "5December2026" in english and same_glyphs("ใบกำกับภาษี") not in english
    note = services.issue_credit_note(
        invoice=invoice, reason="สินค้าชำรุด", now=NOW,
        lines=[services.SoldLine(name="ผ้าไหมมัดหมี่", quantity=1, unit_price=Decimal("1250.00"),
                                 total=Decimal("1250.00"))],
    )  # fmt: skip
    text = pdf_text(document_pdf(note))
    for expected in ("ใบลดหนี้", "TI-2569-000001", "สินค้าชำรุด", "2,500.00", "1,250.00", "81.78"):
        assert same_glyphs(expected) in text, expected
