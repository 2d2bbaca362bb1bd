"""Staff pages under /inventory/ and the producer's own pages under /inventory/my/."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.catalog.models import Variant
from otop.core.collation import ThaiSortKey
from otop.core.errors import DomainError
from otop.core.pages import pdf_response, staff_only
from otop.core.selectors import center_profile
from otop.inventory import documents, selectors, services
from otop.inventory.forms import (
    BasketForm,
    CommissionForm,
    CountForm,
    IntakeHeaderForm,
    IntakeLineForm,
    PaidForm,
    RemoveForm,
    ScanForm,
    SettlementForm,
    ThresholdForm,
    TransferForm,
)
from otop.inventory.models import Intake, Location, Settlement, Stocktake
from otop.inventory.services.stocktakes import find_variant
from otop.producers.models import Producer
from otop.producers.selectors import confirmed_bank_accounts

# --- Stock --------------------------------------------------------------------------------------


@require_GET
@staff_only("inventory.view_stocklevel")
def stock(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    location_code = request.GET.get("location", "")
    page = Paginator(selectors.stock_levels(query=query, location_code=location_code), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inventory/stock.html",
        {"page": page, "query": query, "location_code": location_code, "locations": Location.objects.all()},
    )


@require_GET
@staff_only("inventory.view_stockmove")
def moves(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(request, "inventory/moves.html", {"moves": selectors.recent_moves(query=query), "query": query})


@require_http_methods(["GET", "POST"])
@staff_only("inventory.transfer_stock")
def transfer(request: HttpRequest) -> HttpResponse:
    form = TransferForm(request.POST or None, prefix="move")
    removal = RemoveForm(None, prefix="remove")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            variant = find_variant(data["code"])
            services.transfer_stock(
                variant=variant,
                from_location=data["from_location"],
                to_location=data["to_location"],
                quantity=data["quantity"],
                actor=acting_user(request),
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Moved %(quantity)s × %(item)s from %(from)s to %(to)s.")
                % {
                    "quantity": data["quantity"],
                    "item": str(variant),
                    "from": data["from_location"],
                    "to": data["to_location"],
                },
            )
            return redirect("inventory:transfer")
    return render(request, "inventory/transfer.html", {"form": form, "removal": removal})


@require_POST
@staff_only("inventory.transfer_stock")
def remove(request: HttpRequest) -> HttpResponse:
    removal = RemoveForm(request.POST, prefix="remove")
    if removal.is_valid():
        data = removal.cleaned_data
        try:
            variant = find_variant(data["code"])
            services.remove_stock(
                variant=variant,
                location=data["location"],
                quantity=data["quantity"],
                actor=acting_user(request),
                reason=data["reason"],
                note=data["note"],
            )
        except DomainError as error:
            removal.add_error(None, error.message)
        else:
            messages.success(request, _("Took %(quantity)s × %(item)s out of stock.") % {
                "quantity": data["quantity"], "item": str(variant)
            })  # fmt: skip
            return redirect("inventory:transfer")
    return render(request, "inventory/transfer.html", {"form": TransferForm(prefix="move"), "removal": removal})


# --- Gift baskets ------------------------------------------------------------------------------


def _baskets_page(request: HttpRequest, form: BasketForm, status: int = 200) -> HttpResponse:
    locations, rows = selectors.basket_overview()
    return render(
        request, "inventory/baskets.html", {"form": form, "locations": locations, "rows": rows}, status=status
    )


@require_GET
@staff_only("inventory.transfer_stock")
def baskets(request: HttpRequest) -> HttpResponse:
    return _baskets_page(request, BasketForm(prefix="basket"))


def _basket_action(request: HttpRequest, action, done_message: str) -> HttpResponse:
    form = BasketForm(request.POST, prefix="basket")
    if form.is_valid():
        data = form.cleaned_data
        try:
            variant = find_variant(data["code"])
            action(
                variant=variant,
                location=data["location"],
                quantity=data["quantity"],
                actor=acting_user(request),
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                done_message % {"quantity": data["quantity"], "item": str(variant), "location": data["location"]},
            )
            return redirect("inventory:baskets")
    return _baskets_page(request, form, status=400)


@require_POST
@staff_only("inventory.transfer_stock")
def basket_assemble(request: HttpRequest) -> HttpResponse:
    return _basket_action(request, services.assemble_baskets, _("Assembled %(quantity)s × %(item)s at %(location)s."))


@require_POST
@staff_only("inventory.transfer_stock")
def basket_take_apart(request: HttpRequest) -> HttpResponse:
    return _basket_action(
        request, services.take_apart_baskets, _("Took %(quantity)s × %(item)s apart at %(location)s.")
    )


# --- Intakes ------------------------------------------------------------------------------------


@require_GET
@staff_only("inventory.view_intake")
def intakes(request: HttpRequest) -> HttpResponse:
    page = Paginator(Intake.objects.select_related("producer", "location"), 50).get_page(request.GET.get("page"))
    return render(request, "inventory/intakes.html", {"page": page})


@require_http_methods(["GET", "POST"])
@staff_only("inventory.receive_stock")
def intake_new(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the producer (GET ?producer=); step 2: quantities per item of that producer."""
    producer = None
    producer_id = request.POST.get("producer") or request.GET.get("producer")
    if producer_id and str(producer_id).isdigit():
        producer = Producer.objects.filter(pk=producer_id).first()
    header = IntakeHeaderForm(request.POST or None, initial={"producer": producer})
    variants = []
    if producer is not None:
        variants = list(
            Variant.objects.filter(product__producer=producer, is_active=True)
            .select_related("product")
            .order_by(ThaiSortKey("product__name_th"), "sort_order", "id")[:300]
        )
    rows = [(v, IntakeLineForm(request.POST or None, prefix=f"v{v.pk}")) for v in variants]
    if request.method == "POST" and producer is not None and header.is_valid() and all(f.is_valid() for _v, f in rows):
        items = [
            services.IntakeItem(
                variant=variant,
                quantity=form.cleaned_data["quantity"],
                producer_price=form.cleaned_data["producer_price"],
                commission_percent=form.cleaned_data["commission_percent"],
                cost_price=form.cleaned_data["cost_price"],
            )
            for variant, form in rows
            if form.cleaned_data.get("quantity")
        ]
        if not items:
            header.add_error(None, _("Enter the quantity delivered of at least one item."))
        else:
            try:
                intake = services.record_intake(
                    producer=producer,
                    items=items,
                    location=header.cleaned_data["location"],
                    actor=acting_user(request),
                    kind=header.cleaned_data["kind"],
                    note=header.cleaned_data["note"],
                )
            except DomainError as error:
                header.add_error(None, error.message)
            else:
                messages.success(request, _("Intake %(number)s recorded.") % {"number": intake.number})
                return redirect("inventory:intake", number=intake.number)
    return render(
        request,
        "inventory/intake_new.html",
        {"header": header, "producer": producer, "rows": rows, "producers": Producer.objects.filter(is_active=True)},
    )


@require_GET
@staff_only("inventory.view_intake")
def intake_detail(request: HttpRequest, number: str) -> HttpResponse:
    intake = get_object_or_404(Intake.objects.select_related("producer", "location", "received_by"), number=number)
    lines = list(intake.lines.select_related("variant__product"))
    labels_url = ""
    if request.user.has_perm("catalog.print_labels"):
        skus = "\n".join(dict.fromkeys(line.variant.sku for line in lines))
        labels_url = f"{reverse('catalog:backoffice-labels')}?{urlencode({'skus': skus})}"
    return render(request, "inventory/intake.html", {"intake": intake, "lines": lines, "labels_url": labels_url})


@require_GET
@staff_only("inventory.view_intake")
def intake_receipt(request: HttpRequest, number: str) -> HttpResponse:
    intake = get_object_or_404(Intake.objects.select_related("producer", "location", "received_by"), number=number)
    return pdf_response(documents.intake_receipt_pdf(intake), f"{intake.number}.pdf")


# --- Stocktake ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("inventory.count_stock")
def stocktakes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        location = get_object_or_404(Location, code=request.POST.get("location", ""))
        stocktake = services.start_stocktake(location=location, actor=acting_user(request))
        return redirect("inventory:stocktake", pk=stocktake.pk)
    sheets = Stocktake.objects.select_related("location", "started_by", "approved_by")[:100]
    return render(request, "inventory/stocktakes.html", {"sheets": sheets, "locations": Location.objects.all()})


def _sheet_context(stocktake: Stocktake, **extra) -> dict:
    lines = list(stocktake.lines.select_related("variant__product"))
    return {
        "stocktake": stocktake,
        "lines": lines,
        "differences": sum(1 for line in lines if line.variance),
        "scan": ScanForm(),
        **extra,
    }


@require_GET
@staff_only("inventory.count_stock")
def stocktake(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(Stocktake.objects.select_related("location"), pk=pk)
    return render(request, "inventory/stocktake.html", _sheet_context(sheet))


@require_POST
@staff_only("inventory.count_stock")
def stocktake_scan(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(Stocktake.objects.select_related("location"), pk=pk)
    form = ScanForm(request.POST)
    error = last = None
    if form.is_valid():
        try:
            last = services.count_scan(stocktake=sheet, code=form.cleaned_data["code"])
        except DomainError as problem:
            error = problem.message
    else:
        error = _("Scan a barcode first.")
    template = "inventory/stocktake.html#sheet" if request.htmx else "inventory/stocktake.html"
    response = render(request, template, _sheet_context(sheet, scan_error=error, last=last))
    if error and request.htmx:
        response.status_code = 200  # the message is shown in place of the sheet's status line
    return response


@require_POST
@staff_only("inventory.count_stock")
def stocktake_count(request: HttpRequest, pk: int, variant_id: int) -> HttpResponse:
    sheet = get_object_or_404(Stocktake, pk=pk)
    variant = get_object_or_404(Variant, pk=variant_id)
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            services.set_count(stocktake=sheet, variant=variant, counted=form.cleaned_data["counted"])
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("inventory:stocktake", pk=sheet.pk)


@require_POST
@staff_only("inventory.approve_stocktake")
def stocktake_approve(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(Stocktake, pk=pk)
    try:
        moves = services.approve_stocktake(stocktake=sheet, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Stocktake approved: %(count)s corrections posted.") % {"count": len(moves)})
    return redirect("inventory:stocktake", pk=sheet.pk)


@require_POST
@staff_only("inventory.approve_stocktake")
def stocktake_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(Stocktake, pk=pk)
    try:
        services.cancel_stocktake(stocktake=sheet, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inventory:stocktakes")


# --- Low stock ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("inventory.view_lowstockthreshold")
def low_stock(request: HttpRequest) -> HttpResponse:
    form = ThresholdForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("inventory.change_lowstockthreshold"):
            raise PermissionDenied
        if form.is_valid():
            try:
                variant = find_variant(form.cleaned_data["code"])
            except DomainError as error:
                form.add_error("code", error.message)
            else:
                services.set_threshold(variant=variant, minimum=form.cleaned_data["minimum"])
                messages.success(request, _("Threshold saved for %(item)s.") % {"item": str(variant)})
                return redirect("inventory:low-stock")
    return render(request, "inventory/low_stock.html", {"items": selectors.low_stock_items(), "form": form})


# --- Commission ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("inventory.view_commissionrate")
def commissions(request: HttpRequest) -> HttpResponse:
    """Products that pay the center a commission of their own (the rest: their producer's, then the center's)."""
    form = CommissionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("inventory.change_commissionrate"):
            raise PermissionDenied
        if form.is_valid():
            try:
                product = selectors.product_by_code(form.cleaned_data["code"])
                services.set_product_commission(
                    product=product, percent=form.cleaned_data["percent"], actor=acting_user(request)
                )
            except DomainError as error:
                form.add_error("code" if error.code == "unknown_barcode" else "percent", error.message)
            else:
                messages.success(request, _("Commission saved for %(product)s.") % {"product": product.name_th})
                return redirect("inventory:commissions")
    return render(
        request,
        "inventory/commissions.html",
        {"form": form, "rates": selectors.product_commissions(), "center": center_profile()},
    )


# --- Settlements --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("inventory.view_settlement")
def settlements(request: HttpRequest) -> HttpResponse:
    form = SettlementForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("inventory.settle_producers"):
            raise PermissionDenied
        if form.is_valid():
            month, producer = form.cleaned_data["month"], form.cleaned_data["producer"]
            try:
                if producer is None:
                    made = services.settle_month(month=month, actor=acting_user(request))
                else:
                    made = [
                        services.create_settlement(producer=producer, period_start=month, actor=acting_user(request))
                    ]
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(count)s settlements made.") % {"count": len(made)})
                return redirect("inventory:settlements")
    page = Paginator(
        Settlement.objects.select_related("producer").order_by("-period_start", ThaiSortKey("producer__name_th"), "pk"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/settlements.html",
        {"form": form, "page": page, "without_account": selectors.unpaid_producers_without_account()},
    )


@require_GET
@staff_only("inventory.view_settlement")
def settlement_detail(request: HttpRequest, number: str) -> HttpResponse:
    settlement = get_object_or_404(Settlement.objects.select_related("producer", "paid_by"), number=number)
    return render(
        request,
        "inventory/settlement.html",
        {"settlement": settlement, "lines": settlement.lines.all(), "paid_form": PaidForm()},
    )


@require_GET
@staff_only("inventory.view_settlement")
def settlement_pdf(request: HttpRequest, number: str) -> HttpResponse:
    settlement = get_object_or_404(Settlement.objects.select_related("producer"), number=number)
    return pdf_response(documents.settlement_pdf(settlement), f"{settlement.number}.pdf")


@require_POST
@staff_only("inventory.settle_producers")
def settlement_paid(request: HttpRequest, number: str) -> HttpResponse:
    settlement = get_object_or_404(Settlement, number=number)
    form = PaidForm(request.POST)
    if form.is_valid():
        try:
            services.mark_settlement_paid(
                settlement=settlement,
                actor=acting_user(request),
                payment_reference=form.cleaned_data["payment_reference"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Settlement %(number)s marked as paid.") % {"number": settlement.number})
    return redirect("inventory:settlement", number=settlement.number)


@require_GET
@staff_only("inventory.settle_producers")
def settlements_export(request: HttpRequest) -> HttpResponse:
    """The bank-transfer file: one row per unpaid settlement with a positive amount (CSV, UTF-8 with BOM for Excel).

    The account is the producer's confirmed one (entered in the portal, confirmed by staff); a row
    without one has empty account columns, and the settlements page says who is missing.
    """

    rows = list(selectors.unpaid_settlements())
    accounts = confirmed_bank_accounts(producer_ids={settlement.producer_id for settlement in rows})
    services.record_payout_file_export(settlements=rows, actor=acting_user(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="producer-payouts.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["settlement", "producer", "bank_code", "bank", "account_number", "account_name", "amount", "tax_id"]
    )
    for settlement in rows:
        account = accounts.get(settlement.producer_id)
        writer.writerow(
            [
                settlement.number,
                settlement.producer.name_th,
                account.bank if account else "",
                account.get_bank_display() if account else "",
                account.account_number if account else "",
                account.account_name if account else "",
                f"{settlement.net_payable:.2f}",
                settlement.producer.tax_id,
            ]
        )
    return response


# --- The producer's own pages -------------------------------------------------------------------


def _own_producer(request: HttpRequest) -> Producer:
    producer = Producer.objects.filter(user=acting_user(request)).first()
    if producer is None:
        raise PermissionDenied
    return producer


@require_GET
@staff_only("accounts.use_producer_portal")
def my_stock(request: HttpRequest) -> HttpResponse:
    producer = _own_producer(request)
    return render(
        request, "inventory/my/stock.html", {"producer": producer, "rows": selectors.producer_stock(producer=producer)}
    )


@require_GET
@staff_only("accounts.use_producer_portal")
def my_statements(request: HttpRequest) -> HttpResponse:
    producer = _own_producer(request)
    return render(
        request,
        "inventory/my/statements.html",
        {"producer": producer, "settlements": Settlement.objects.filter(producer=producer).order_by("-period_start")},
    )


@require_GET
@staff_only("accounts.use_producer_portal")
def my_statement_pdf(request: HttpRequest, number: str) -> HttpResponse:
    producer = _own_producer(request)
    settlement = get_object_or_404(Settlement.objects.select_related("producer"), number=number, producer=producer)
    return pdf_response(documents.settlement_pdf(settlement), f"{settlement.number}.pdf")
