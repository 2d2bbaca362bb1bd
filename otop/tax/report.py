"""The monthly output-tax report (รายงานภาษีขาย) for the VAT return (ภ.พ.30), in the Revenue Department's
layout: the operator, its tax ID and establishment, the tax month, then one row per document in order —
date, number, buyer, buyer's tax ID and establishment, value of goods, VAT — and the totals.

Credit notes are negative rows; cancelled documents stay listed with zero values, marked cancelled.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from otop.core.encryption import mask
from otop.core.money import ZERO
from otop.core.selectors import center_profile
from otop.core.thaidates import THAI_MONTHS_LONG, buddhist_year
from otop.tax.models import DocumentKind, TaxDocument, branch_label
from otop.tax.selectors import documents_of_buyer, documents_of_month

HEADINGS = [
    "ลำดับที่",
    "วัน เดือน ปี",
    "เลขที่ใบกำกับภาษี",
    "ชื่อผู้ซื้อสินค้า/ผู้รับบริการ",
    "เลขประจำตัวผู้เสียภาษีอากรของผู้ซื้อ",
    "สถานประกอบการ",
    "มูลค่าสินค้าหรือบริการ",
    "จำนวนเงินภาษีมูลค่าเพิ่ม",
    "หมายเหตุ",
]


@dataclass(frozen=True)
class Row:
    position: int
    issued_at: datetime
    code: str
    buyer: str
    buyer_tax_id: str
    buyer_branch: str
    value: Decimal  # value of goods before VAT, exempt goods included
    vat: Decimal
    note: str

    @property
    def masked_buyer_tax_id(self) -> str:
        return mask(self.buyer_tax_id)

    @property
    def date_text(self) -> str:
        local = timezone.localtime(self.issued_at)
        return f"{local.day:02d}/{local.month:02d}/{buddhist_year(local.year)}"


@dataclass(frozen=True)
class OutputTaxReport:
    year: int
    month: int
    seller_name: str
    seller_tax_id: str
    seller_branch: str
    rows: list[Row]
    total_value: Decimal
    total_vat: Decimal

    @property
    def buyer_tax_ids(self) -> int:
        return sum(1 for row in self.rows if row.buyer_tax_id)

    @property
    def period_text(self) -> str:
        return f"{THAI_MONTHS_LONG[self.month - 1]} {buddhist_year(self.year)}"


def _row(position: int, document: TaxDocument) -> Row:
    sign = -1 if document.kind == DocumentKind.CREDIT_NOTE else 1
    notes = []
    if document.kind == DocumentKind.CREDIT_NOTE:
        notes.append(f"ใบลดหนี้ อ้างถึง {document.refers_to.code}" if document.refers_to else "ใบลดหนี้")
    elif document.kind == DocumentKind.ABBREVIATED:
        notes.append("ใบกำกับภาษีอย่างย่อ")
    if document.replaces_id:
        notes.append(f"แทน {document.replaces.code}")
    if document.exempt_total:
        notes.append(f"ยกเว้นภาษี {document.exempt_total:,.2f}")
    if document.is_cancelled:
        notes.append("ยกเลิก")
        value = vat = ZERO
    else:
        value, vat = sign * (document.net + document.exempt_total), sign * document.vat
    return Row(
        position=position,
        issued_at=document.issued_at,
        code=document.code,
        buyer=document.buyer_name or ("ยกเลิก" if document.is_cancelled else "ขายปลีก"),
        buyer_tax_id=document.buyer_tax_id,
        buyer_branch=branch_label(document.buyer_branch) if document.buyer_tax_id else "",
        value=value,
        vat=vat,
        note=" · ".join(notes),
    )


def output_tax_report(year: int, month: int, *, buyer_tax_id: str = "") -> OutputTaxReport:
    """Every document issued in the month, in order, with totals that are the sums of its rows; with a buyer's
    tax ID, only the documents made out to that buyer."""
    profile = center_profile()
    documents = documents_of_month(year, month)
    if buyer_tax_id:
        documents = documents.filter(pk__in=documents_of_buyer(buyer_tax_id).values("pk"))
    rows = [_row(position, document) for position, document in enumerate(documents, start=1)]
    return OutputTaxReport(
        year=year,
        month=month,
        seller_name=profile.legal_name_th or profile.name_th,
        seller_tax_id=profile.tax_id,
        seller_branch=branch_label(profile.branch_code),
        rows=rows,
        total_value=sum((row.value for row in rows), ZERO),
        total_vat=sum((row.vat for row in rows), ZERO),
    )


def _header_lines(report: OutputTaxReport) -> list[list[str]]:
    return [
        ["รายงานภาษีขาย"],
        ["เดือนภาษี", report.period_text],
        ["ชื่อผู้ประกอบการ", report.seller_name],
        ["เลขประจำตัวผู้เสียภาษีอากร", report.seller_tax_id, report.seller_branch],
    ]


def _cells(row: Row) -> list:
    return [row.position, row.date_text, row.code, row.buyer, row.buyer_tax_id, row.buyer_branch, row.value,
            row.vat, row.note]  # fmt: skip


def report_csv(report: OutputTaxReport) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Thai correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_header_lines(report))
    writer.writerow(HEADINGS)
    for row in report.rows:
        writer.writerow([f"{cell:.2f}" if isinstance(cell, Decimal) else cell for cell in _cells(row)])
    writer.writerow(["", "", "", "รวม", "", "", f"{report.total_value:.2f}", f"{report.total_vat:.2f}", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: OutputTaxReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"ภาษีขาย {report.month:02d}-{buddhist_year(report.year)}"
    for line in _header_lines(report):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADINGS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(_cells(row))
    sheet.append(["", "", "", "รวม", "", "", report.total_value, report.total_vat, ""])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in ("G", "H"):
        for cell in sheet[column]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFGHI", (8, 12, 20, 36, 18, 16, 16, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: OutputTaxReport) -> bytes:
    from otop.tax.documents import render_pdf

    return render_pdf("tax/pdf/output_tax_report.html", {"report": report, "headings": HEADINGS, "landscape": True})
