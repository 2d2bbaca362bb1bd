"""The reports as files: CSV and XLSX of one breakdown, and the printable PDF summary for the governor's meeting."""

from __future__ import annotations

import base64
import csv
import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from otop.reports import charts
from otop.reports.selectors import Filters, Row, sales_by, summary

COLUMNS = ["key", "name", "net_incl_vat", "vat", "net_excl_vat", "quantity", "returns", "target", "last_year",
           "outside_sales"]  # fmt: skip


def _header() -> list[str]:
    return [_("Code"), _("Name"), _("Net sales incl. VAT"), _("VAT"), _("Net sales excl. VAT"), _("Units"),
            _("Returns"), pgettext("sales", "Target"), _("Last year"), _("Reported outside the center")]  # fmt: skip


def _values(row: Row) -> list:
    return [row.key, row.label, row.net, row.vat, row.net_ex_vat, row.quantity, row.returns, row.target,
            row.last_year, row.outside]  # fmt: skip


MONEY_COLUMNS = {2, 3, 4, 6, 7, 8, 9}


def _cell(cell, *, font):
    cell.font = font
    return cell


def rows_for(group: str, filters: Filters) -> list[Row]:
    return sales_by(group, filters, limit=None)


def csv_bytes(group: str, filters: Filters) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows_for(group, filters):
        writer.writerow(["" if value is None else value for value in _values(row)])
    # A byte-order mark so that spreadsheet programs read the Thai names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(group: str, filters: Filters) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=group[:31])
    bold = Font(bold=True)
    sheet.append([_cell(WriteOnlyCell(sheet, value=name), font=bold) for name in _header()])
    for row in rows_for(group, filters):
        cells = []
        for index, value in enumerate(_values(row)):
            cell = WriteOnlyCell(sheet, value=value)
            if index in MONEY_COLUMNS:
                cell.number_format = "#,##0.00"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sarabun_url(weight: str = "Regular") -> str:
    import fontpkg_sarabun

    return (fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf").as_uri()


SVG_STYLE = (
    "<style>.chart-label{font-size:13px;fill:#2d2a24;font-family:Sarabun}.chart-value{font-size:12px;fill:#5b5446;"
    "font-family:Sarabun}.chart-bar{fill:#7a4e9c}.chart-target{stroke:#c0392b;stroke-width:3}</style>"
)


def _svg_image(svg: str) -> str:
    """The chart as an image for WeasyPrint, its styles inside it (a page's stylesheet does not reach it there)."""
    styled = svg.replace("</title>", "</title>" + SVG_STYLE, 1)
    return "data:image/svg+xml;base64," + base64.b64encode(styled.encode()).decode()


def summary_pdf(filters: Filters) -> bytes:
    from weasyprint import HTML

    with translation.override("th"):
        figures = summary(filters)
        context = {
            "summary": figures,
            "filters": filters,
            "districts": sales_by("district", filters),
            "categories": sales_by("category", filters),
            "channels": sales_by("channel", filters),
            "producers": sales_by("producer", filters, limit=10),
            "months": sales_by("month", filters),
            "font_url": sarabun_url(),
            "bold_font_url": sarabun_url("Bold"),
        }
        chart = charts.ranked_bars(context["districts"], title=_("Sales by district"), chart_id="pdf-district")
        context["district_chart"] = _svg_image(chart)
        html = render_to_string("reports/pdf/summary.html", context)
    return HTML(string=html).write_pdf()
