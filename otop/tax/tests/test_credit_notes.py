"""Credit notes line by line (a partial refund: units or an amount per line), the rest of an invoice credited,
a void that cancels on the day and credits after it, and a full tax invoice that replaces the abbreviated one;
the month's report counts them all, and a refused request changes nothing."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from otop.tax import services
from otop.tax.documents import document_pdf
from otop.tax.errors import InvalidTaxDocument
from otop.tax.models import DocumentKind, DocumentSeries, TaxDocument, TaxDocumentLine
from otop.tax.report import output_tax_report
from otop.tax.tests.test_pdf import pdf_text, same_glyphs

pytestmark = pytest.mark.django_db
D = Decimal
NOW = datetime(2026, 11, 12, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok
COMPANY = services.Buyer(name="บริษัท ตะกร้าของขวัญ จำกัด", address="ขอนแก่น 40000", tax_id="0105551234567")


def line(name, quantity, unit_price, **extra):
    return services.SoldLine(name=name, quantity=quantity, unit_price=D(unit_price),
                             total=D(unit_price) * quantity, **extra)  # fmt: skip


@pytest.fixture
def invoice():
    return services.issue_document(
        kind=DocumentKind.FULL, source_type="orders.order", source_id=7, buyer=COMPANY, discount=D("100.00"),
        lines=[line("ผ้าไหม", 2, "1250.00"), line("ข้าวหอมมะลิ", 3, "80.25"),
               line("ผักสด", 1, "50.00", vat_exempt=True)],
        now=NOW,
    )  # fmt: skip


def test_line_values_share_the_bill_discount_and_add_up_to_the_total(invoice):
    left = services.lines_left(invoice)
    assert [entry.value for entry in left] == [D("2410.42"), D("232.12"), D("48.21")]
    assert sum(entry.value for entry in left) == invoice.total == D("2690.75")


def test_a_partial_refund_per_line_refers_to_the_invoice_and_its_lines(invoice):
    note = services.credit_invoice_lines(
        invoice=invoice, reason="ผ้าไหมชำรุด 1 ผืน, ข้าวลดราคา",
        credits=[services.LineCredit(position=1, quantity=1), services.LineCredit(position=2, amount=D("20.00"))],
        now=NOW + timedelta(days=1),
    )  # fmt: skip
    assert note.kind == DocumentKind.CREDIT_NOTE and note.refers_to == invoice
    assert [(row.name, row.quantity, row.total, row.credits_line.position) for row in note.lines.all()] == [
        ("ผ้าไหม", 1, D("1205.21"), 1), ("ข้าวหอมมะลิ", 0, D("20.00"), 2),
    ]  # fmt: skip
    assert (note.original_value, note.corrected_value, note.difference, note.total) == (
        D("2690.75"), D("1465.54"), D("1225.21"), D("1225.21"),
    )  # fmt: skip
    assert note.net + note.vat == note.total and note.vat == D("80.15")  # 1,225.21 × 7/107


def test_more_than_is_left_of_a_line_is_refused_and_changes_nothing(invoice):
    services.credit_invoice_lines(invoice=invoice, reason="คืน", credits=[services.LineCredit(position=1, quantity=1)],
                                  now=NOW)  # fmt: skip
    series = DocumentSeries.objects.get(kind=DocumentKind.CREDIT_NOTE)
    before = (TaxDocument.objects.count(), TaxDocumentLine.objects.count(), series.next_number)
    for credits, field in (
        ([services.LineCredit(position=1, quantity=2)], "lines.1"),  # one unit left
        ([services.LineCredit(position=3, amount=D("48.22"))], "lines.3"),  # 48.21 left
        ([services.LineCredit(position=9, quantity=1)], "lines.9"),  # no such line
        ([services.LineCredit(position=2)], "lines.2"),  # neither units nor an amount
        ([services.LineCredit(position=2, quantity=1), services.LineCredit(position=1, quantity=2)], "lines.1"),
    ):
        with pytest.raises(InvalidTaxDocument) as refused:
            services.credit_invoice_lines(invoice=invoice, reason="คืน", credits=credits, now=NOW)
        assert field in refused.value.fields
    series.refresh_from_db()
    assert (TaxDocument.objects.count(), TaxDocumentLine.objects.count(), series.next_number) == before


def test_the_rest_is_credited_line_by_line_to_the_satang(invoice):
    services.credit_invoice_lines(invoice=invoice, reason="คืน", credits=[services.LineCredit(position=1, quantity=1)],
                                  now=NOW)  # fmt: skip
    rest = services.credit_the_rest(invoice=invoice, reason="คืนทั้งหมด", now=NOW)
    assert [(row.quantity, row.total, row.vat_exempt) for row in rest.lines.all()] == [
        (1, D("1205.21"), False), (3, D("232.12"), False), (1, D("48.21"), True),
    ]  # fmt: skip
    assert services.credited_total(invoice) == invoice.total
    assert rest.exempt_total == D("48.21") and rest.corrected_value == D("0.00")
    assert services.credit_the_rest(invoice=invoice, reason="อีกครั้ง", now=NOW) is None


def test_a_void_cancels_on_the_day_it_was_issued_and_credits_after_it(invoice):
    other = services.issue_document(kind=DocumentKind.ABBREVIATED, source_type="pos.sale", source_id=1,
                                    register_code="SHOP1", lines=[line("ชา", 2, "45.00")], now=NOW)  # fmt: skip
    same_day = services.void_documents_of(source_type="pos.sale", source_id=1, reason="ยกเลิกบิล", actor=None,
                                          now=NOW + timedelta(hours=9))  # 19:00 the same day in Bangkok  # fmt: skip
    other.refresh_from_db()
    assert same_day == [other] and other.is_cancelled and other.number == 1
    later = services.void_documents_of(source_type="orders.order", source_id=7, reason="ยกเลิกคำสั่งซื้อ",
                                       actor=None, now=NOW + timedelta(hours=14))  # 00:00 the next day  # fmt: skip
    invoice.refresh_from_db()
    assert not invoice.is_cancelled
    assert [(note.kind, note.refers_to_id, note.total) for note in later] == [
        (DocumentKind.CREDIT_NOTE, invoice.pk, invoice.total)
    ]


def test_a_full_invoice_replaces_the_abbreviated_one_which_is_kept_and_referred_to():
    silk = [line("ผ้าไหม", 1, "1250.00")]
    abbreviated = services.issue_document(kind=DocumentKind.ABBREVIATED, source_type="orders.order", source_id=8,
                                          register_code="web", lines=silk, now=NOW)  # fmt: skip
    with pytest.raises(InvalidTaxDocument):
        services.replace_with_full_invoice(source_type="orders.order", source_id=8, lines=silk,
                                           buyer=services.Buyer(name="บริษัท", address="", tax_id="0105551234568"),
                                           now=NOW)  # fmt: skip
    abbreviated.refresh_from_db()
    assert not abbreviated.is_cancelled and not TaxDocument.objects.filter(kind=DocumentKind.FULL).exists()
    full = services.replace_with_full_invoice(source_type="orders.order", source_id=8, buyer=COMPANY, lines=silk,
                                              now=NOW)  # fmt: skip
    abbreviated.refresh_from_db()
    assert full.replaces == abbreviated and abbreviated.is_cancelled
    assert full.code in abbreviated.cancel_reason and full.buyer_branch == "00000"
    text = pdf_text(document_pdf(full))
    assert same_glyphs(abbreviated.code) in text and same_glyphs("ใบกำกับภาษีอย่างย่อ") in text


def test_the_months_report_counts_credit_notes_and_cancelled_documents_and_adds_up(invoice):
    services.credit_invoice_lines(invoice=invoice, reason="คืน", credits=[services.LineCredit(position=1, quantity=1)],
                                  now=NOW + timedelta(days=1))  # fmt: skip
    voided = services.issue_document(kind=DocumentKind.ABBREVIATED, source_type="pos.sale", source_id=2,
                                     register_code="SHOP1", lines=[line("ชา", 1, "45.00")],
                                     now=NOW + timedelta(hours=1))  # fmt: skip
    services.void_documents_of(source_type="pos.sale", source_id=voided.source_id, reason="ยกเลิก", actor=None,
                               now=NOW + timedelta(hours=2))  # fmt: skip
    report = output_tax_report(2026, 11)
    assert [row.code for row in report.rows] == [invoice.code, voided.code, "CN-2569-000001"]
    assert report.rows[2].value + report.rows[2].vat == D("-1205.21") and "TI-2569-000001" in report.rows[2].note
    assert (report.rows[1].value, report.rows[1].vat) == (0, 0) and "ยกเลิก" in report.rows[1].note
    assert report.total_value + report.total_vat == invoice.total - D("1205.21")
    assert report.total_vat == invoice.vat - TaxDocument.objects.get(kind=DocumentKind.CREDIT_NOTE).vat


def test_the_credit_note_pdf_in_thai_and_english(invoice):
    note = services.credit_invoice_lines(invoice=invoice, reason="ผ้าไหมชำรุด",
                                         credits=[services.LineCredit(position=1, quantity=1)], now=NOW)  # fmt: skip
    text = pdf_text(document_pdf(note))
    for expected in ("ใบลดหนี้", "CN-2569-000001", "TI-2569-000001", "12 พฤศจิกายน 2569", "ผ้าไหมชำรุด",
                     "2,690.75", "1,485.54", "1,205.21", "78.85", "หนึ่งพันสองร้อยห้าบาทยี่สิบเอ็ดสตางค์"):  # fmt: skip
        assert same_glyphs(expected) in text, expected
    english = pdf_text(document_pdf(note, language="en"))
    assert "Creditnote" in english and "12November2026" in english and "TI-2569-000001" in english
