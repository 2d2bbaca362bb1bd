"""The monthly output-tax report: its totals are the sums of the month's documents to the satang, in
PDF, CSV and XLSX alike."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from otop.tax import services
from otop.tax.models import DocumentKind, TaxDocument
from otop.tax.report import output_tax_report, report_csv, report_pdf, report_xlsx
from otop.tax.tests.test_pdf import pdf_text, same_glyphs

pytestmark = pytest.mark.django_db
D = Decimal
COMPANY = services.Buyer(name="บริษัท ตะกร้าของขวัญ จำกัด", address="ขอนแก่น", tax_id="0105551234567", branch="1")


def sold(total, **extra):
    return services.SoldLine(name="สินค้า", quantity=1, unit_price=D(total), total=D(total), **extra)


@pytest.fixture
def month():
    def at(day, hour=3):
        return datetime(2026, 11, day, hour, 0, tzinfo=UTC)

    issue = services.issue_document
    issue(kind=DocumentKind.ABBREVIATED, source_type="t", source_id=1, register_code="web", lines=[sold("33.33")],
          now=at(1))  # fmt: skip
    issue(kind=DocumentKind.ABBREVIATED, source_type="t", source_id=2, register_code="web",
          lines=[sold("10.01"), sold("99.99", vat_exempt=True)], discount=D("0.03"), now=at(2))  # fmt: skip
    full = issue(kind=DocumentKind.FULL, source_type="t", source_id=3, lines=[sold("1250.50"), sold("80.25")],
                 buyer=COMPANY, now=at(3))  # fmt: skip
    services.issue_credit_note(invoice=full, lines=[sold("80.25")], reason="คืนสินค้า", now=at(4))
    cancelled = issue(kind=DocumentKind.FULL, source_type="t", source_id=4, lines=[sold("500.00")], buyer=COMPANY,
                      now=at(5))  # fmt: skip
    services.cancel_document(document=cancelled, reason="ยกเลิก", actor=None, now=at(5, 4))
    issue(
        kind=DocumentKind.ABBREVIATED,
        source_type="t",
        source_id=5,
        register_code="web",
        lines=[sold("77.77")],
        now=datetime(2026, 10, 31, 16, 59, tzinfo=UTC),
    )  # 23:59 on 31 October in Bangkok: not November
    issue(
        kind=DocumentKind.ABBREVIATED,
        source_type="t",
        source_id=6,
        register_code="web",
        lines=[sold("12.34")],
        now=datetime(2026, 11, 30, 17, 0, tzinfo=UTC),
    )  # 00:00 on 1 December in Bangkok: not November
    return output_tax_report(2026, 11)


def test_the_totals_are_the_sums_of_the_months_documents_to_the_satang(month):
    documents = TaxDocument.objects.filter(issued_at__gte=datetime(2026, 10, 31, 17, tzinfo=UTC),
                                           issued_at__lt=datetime(2026, 11, 30, 17, tzinfo=UTC),
                                           status=TaxDocument.Status.ISSUED)  # fmt: skip

    def summed(queryset, field):
        return queryset.aggregate(total=Sum(field))["total"] or D("0")

    invoices = documents.exclude(kind=DocumentKind.CREDIT_NOTE)
    notes = documents.filter(kind=DocumentKind.CREDIT_NOTE)
    expected_vat = summed(invoices, "vat") - summed(notes, "vat")
    expected_value = (summed(invoices, "net") + summed(invoices, "exempt_total")
                      - summed(notes, "net") - summed(notes, "exempt_total"))  # fmt: skip
    assert (month.total_vat, month.total_value) == (expected_vat, expected_value)
    assert month.total_value + month.total_vat == D("33.33") + D("109.97") + D("1330.75") - D("80.25")
    assert len(month.rows) == 5 and month.rows[-1].note.endswith("ยกเลิก") and month.rows[-1].vat == 0
    assert [row.date_text for row in month.rows][:1] == ["01/11/2569"]


def test_csv_xlsx_and_pdf_carry_the_same_rows_and_totals(month):
    rows = list(csv.reader(io.StringIO(report_csv(month).decode("utf-8-sig"))))
    assert rows[0] == ["รายงานภาษีขาย"] and rows[1] == ["เดือนภาษี", "พฤศจิกายน 2569"]
    assert rows[-1][6:8] == [f"{month.total_value:.2f}", f"{month.total_vat:.2f}"]
    assert sum(D(row[7]) for row in rows[5:-1]) == month.total_vat

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(report_xlsx(month))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[4][0] == "ลำดับที่" and len(values) == 4 + 1 + 5 + 1
    assert D(str(values[-1][7])) == month.total_vat and D(str(values[-1][6])) == month.total_value

    text = pdf_text(report_pdf(month))
    for expected in ("รายงานภาษีขาย", "พฤศจิกายน 2569", "TI-2569-000001", "0105551234567", "สาขาที่ 00001",
                     f"{month.total_vat:,.2f}", f"{month.total_value:,.2f}"):  # fmt: skip
        assert same_glyphs(expected) in text, expected
