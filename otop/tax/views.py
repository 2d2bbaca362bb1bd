"""Staff pages: a document's PDF (Thai, or its English copy), the monthly output-tax report and its files."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from otop.accounts.actors import acting_user
from otop.core.pages import pdf_response, staff_only
from otop.core.thaidates import THAI_MONTHS_LONG, buddhist_year
from otop.tax import documents, report, selectors, services

VIEW = "tax.view_taxdocument"
REPORT = "tax.view_output_tax_report"


@require_GET
@staff_only(VIEW)
def document_pdf(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = selectors.document_by_public_id(document_id)
    if document is None:
        raise Http404
    language = "en" if request.GET.get("lang") == "en" else "th"
    suffix = "-en" if language == "en" else ""
    # The printed document carries the buyer's full tax ID (s.86/4): each staff look at it is audited.
    services.record_buyer_tax_id_shown(actor=acting_user(request), document=document, how="pdf")
    return pdf_response(documents.document_pdf(document, language=language), f"{document.code}{suffix}.pdf")


def _month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return today.year, today.month
    if not (2000 <= year <= today.year + 1 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


@require_GET
@staff_only(REPORT)
def output_tax_report(request: HttpRequest) -> HttpResponse:
    year, month = _month(request.GET.get("month"))
    # A buyer's tax ID narrows the page to that buyer's documents; the page shows every tax ID masked.
    buyer = "".join(ch for ch in request.GET.get("buyer", "")[:20] if ch.isdigit())
    data = report.output_tax_report(year, month, buyer_tax_id=buyer)
    label = f"{THAI_MONTHS_LONG[month - 1]} {buddhist_year(year)}"
    context = {"report": data, "month": f"{year}-{month:02d}", "label": label, "buyer": buyer}
    return render(request, "tax/report.html", context)


@require_GET
@staff_only(REPORT)
def output_tax_report_file(request: HttpRequest, year: int, month: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "csv", "xlsx") or not (2000 <= year <= 2200 and 1 <= month <= 12):
        raise Http404
    data = report.output_tax_report(year, month)
    services.record_output_tax_report_exported(
        actor=acting_user(request), year=year, month=month, fmt=fmt, buyers=data.buyer_tax_ids
    )
    name = f"output-tax-{year}-{month:02d}"
    if fmt == "pdf":
        return pdf_response(report.report_pdf(data), f"{name}.pdf")
    if fmt == "csv":
        response = HttpResponse(report.report_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            report.report_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
