"""The reports' pages: the dashboard and its drill-down, exports, targets, outside sales, a producer's own sales.

Everything a page shows comes from `selectors` (the rollup); the province officer may open the
dashboard, the drill-down and the exports only, and no page here shows a buyer or a bank account.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core.collation import ThaiSortKey
from otop.core.errors import DomainError
from otop.core.i18n import localized
from otop.core.pages import pdf_response, staff_only
from otop.geo.models import District
from otop.producers.access import portal_view
from otop.producers.models import Producer
from otop.reports import charts, exports, selectors, services
from otop.reports.errors import ImportRefused
from otop.reports.forms import CsvUploadForm, FilterForm, OfficerOutsideSalesForm, OutsideSalesForm, TargetForm
from otop.reports.models import OutsideSales, Target

VIEW = "reports.view_sales_reports"


def _filters(request: HttpRequest, **fixed) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None)
    filters = form.filters(**fixed)
    if fixed:
        # A drill-down page is about one district or producer already.
        del form.fields["district"]
    return form, filters


def _query(request: HttpRequest) -> str:
    return request.GET.urlencode()


def _dashboard_figures(filters: selectors.Filters) -> dict:
    """Everything the dashboard shows for these filters (cached per version of the figures)."""
    figures = selectors.summary(filters)
    districts = selectors.by_district(filters)
    categories = selectors.by_category(filters)
    channels = selectors.by_channel(filters)
    producers = selectors.by_producer(filters, limit=10)
    months = selectors.by_month(filters)
    notes = list(
        dict.fromkeys(
            Target.objects.filter(year=filters.year, dimension=Target.Dimension.TOTAL, month=0)
            .exclude(note="")
            .values_list("note", flat=True)
        )
    )
    return {
        "summary": figures, "districts": districts, "categories": categories, "channels": channels,
        "producers": producers, "months": months, "target_notes": notes,
        "progress_chart": charts.progress(figures.net, figures.target, figures.forecast,
                                          title=_("Sales so far against the target")),
        "district_chart": charts.ranked_bars(districts, title=_("Sales by district"), chart_id="district"),
        "category_chart": charts.ranked_bars(categories, title=_("Sales by category"), chart_id="category"),
        "channel_chart": charts.ranked_bars(channels, title=_("Sales by channel"), chart_id="channel"),
        "producer_chart": charts.ranked_bars(producers, title=_("Top producers"), chart_id="producer"),
        "month_chart": charts.months_against_last_year(months, title=_("Month by month against last year"),
                                                       chart_id="month"),
    }  # fmt: skip


@require_GET
@staff_only(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    context = {"form": form, "filters": filters, "query": _query(request),
               **selectors.cached("dashboard", lambda: _dashboard_figures(filters), filters)}  # fmt: skip
    link = reverse("reports:district", args=["CODE"]) + (f"?{context['query']}" if context["query"] else "")
    context["district_map"] = charts.district_map(context["districts"], title=_("Map of sales by district"), link=link)
    return render(request, "reports/dashboard.html", context)


@require_GET
@staff_only(VIEW)
def district(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(District, code=code)
    form, filters = _filters(request, district_code=place.code)
    producers = selectors.by_producer(filters, limit=None)
    context = {
        "district": place, "district_name": localized(place, "name"), "form": form, "filters": filters,
        "summary": selectors.summary(filters), "producers": producers, "query": _query(request),
        "producer_chart": charts.ranked_bars(producers[:30], title=_("Producers of the district"), chart_id="producer"),
    }  # fmt: skip
    return render(request, "reports/district.html", context)


@require_GET
@staff_only(VIEW)
def producer(request: HttpRequest, pk: int) -> HttpResponse:
    maker = get_object_or_404(Producer, pk=pk)
    form, filters = _filters(request, producer_id=maker.pk)
    products = selectors.products_of(filters, producer_id=maker.pk)
    months = selectors.by_month(filters)
    context = {
        "producer": maker, "producer_name": localized(maker, "name"), "form": form, "filters": filters,
        "summary": selectors.summary(filters), "products": products, "months": months, "query": _query(request),
        "month_chart": charts.months_against_last_year(months, title=_("Month by month against last year"),
                                                       chart_id="month"),
    }  # fmt: skip
    return render(request, "reports/producer.html", context)


@require_GET
@staff_only(VIEW)
def export(request: HttpRequest, group: str, file_format: str) -> HttpResponse:
    if group not in selectors.GROUPS or file_format not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    name = f"sales-{filters.year}-{group}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(exports.csv_bytes(group, filters), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.xlsx_bytes(group, filters),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@staff_only(VIEW)
def summary_pdf(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    return pdf_response(exports.summary_pdf(filters), f"sales-summary-{filters.year}.pdf")


# --- targets (the manager) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("reports.edit_targets")
def targets(request: HttpRequest) -> HttpResponse:
    year = selectors.current_buddhist_year()
    form = TargetForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("reports:targets")
    context = {
        "form": form, "upload": CsvUploadForm(), "targets": Target.objects.all()[:500],
    }  # fmt: skip
    return render(request, "reports/targets.html", context, status=400 if form.errors else 200)


@require_POST
@staff_only("reports.edit_targets")
def targets_import(request: HttpRequest) -> HttpResponse:
    upload = CsvUploadForm(request.POST, request.FILES)
    errors: list = []
    if upload.is_valid():
        try:
            count = services.import_targets(text=upload.text(), actor=acting_user(request))
        except ImportRefused as refused:
            errors = refused.errors
        except forms.ValidationError as error:
            upload.add_error("file", error)
        else:
            messages.success(request, _("%(count)s targets imported.") % {"count": count})
            return redirect("reports:targets")
    context = {"form": TargetForm(initial={"year": selectors.current_buddhist_year()}), "upload": upload,
               "targets": Target.objects.all()[:500], "import_errors": errors}  # fmt: skip
    return render(request, "reports/targets.html", context, status=400)


@require_GET
@staff_only("reports.edit_targets")
def targets_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(("\ufeff" + services.targets_csv()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="targets.csv"'
    return response


# --- sales outside the center ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("reports.enter_outside_sales")
def outside_sales(request: HttpRequest) -> HttpResponse:
    form = OfficerOutsideSalesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        maker = Producer.objects.filter(pk=form.cleaned_data["producer"]).first()
        if maker is None:
            form.add_error("producer", _("No producer has this number."))
        else:
            try:
                services.record_outside_sales(
                    producer=maker, month=services.parse_month(form.cleaned_data["month"]),
                    channel=form.cleaned_data["channel"], amount=form.cleaned_data["amount"],
                    source=OutsideSales.Source.OFFICER, actor=acting_user(request),
                )  # fmt: skip
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The sales were recorded."))
                return redirect("reports:outside-sales")
    return _outside_page(request, form=form, upload=CsvUploadForm(), status=400 if form.errors else 200)


def _outside_page(request, *, form, upload, status=200, errors=()) -> HttpResponse:
    records = OutsideSales.objects.select_related("producer").order_by(
        "-month", ThaiSortKey("producer__name_th"), "pk"
    )[:300]
    context = {"form": form, "upload": upload, "records": records, "import_errors": list(errors)}
    return render(request, "reports/outside.html", context, status=status)


@require_POST
@staff_only("reports.enter_outside_sales")
def outside_sales_import(request: HttpRequest) -> HttpResponse:
    upload = CsvUploadForm(request.POST, request.FILES)
    errors: list = []
    if upload.is_valid():
        try:
            count = services.import_outside_sales(text=upload.text(), actor=acting_user(request),
                                                  district_code=request.POST.get("district", "")[:4])  # fmt: skip
        except ImportRefused as refused:
            errors = refused.errors
        except forms.ValidationError as error:
            upload.add_error("file", error)
        else:
            messages.success(request, _("%(count)s figures imported.") % {"count": count})
            return redirect("reports:outside-sales")
    return _outside_page(request, form=OfficerOutsideSalesForm(), upload=upload, status=400, errors=errors)


# --- the producer's own figures (portal) ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_view
def my_sales(request: HttpRequest, maker: Producer) -> HttpResponse:
    today = timezone.localdate()
    form = OutsideSalesForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_outside_sales(
                    producer=maker, month=services.parse_month(form.cleaned_data["month"]),
                    channel=form.cleaned_data["channel"], amount=form.cleaned_data["amount"],
                    source=OutsideSales.Source.PRODUCER, actor=acting_user(request),
                )  # fmt: skip
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you: your sales were recorded."))
                return redirect("reports:my-sales")
    month_filters = selectors.Filters(
        year=selectors.current_buddhist_year(today), first_month=today.month, last_month=today.month,
        producer_id=maker.pk,
    )  # fmt: skip
    context = {
        "producer": maker, "form": form, "today": today,
        "channels": selectors.producer_month_by_channel(producer_id=maker.pk, month=today),
        "products": selectors.products_of(month_filters, producer_id=maker.pk),
        "total": selectors.summary(month_filters, today=today),
        "reported": OutsideSales.objects.filter(producer=maker).order_by("-month", "channel")[:24],
    }  # fmt: skip
    return render(request, "reports/my_sales.html", context, status=400 if form.errors else 200)
