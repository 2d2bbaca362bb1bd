"""Pages of the till: the register (a small offline-capable JS app), receipts, invoices, the Z-report."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.pages import staff_only
from otop.core.selectors import center_profile
from otop.pos import selectors, services
from otop.pos.api import z_report_pdf_response
from otop.pos.forms import RefundLinesForm, TaxInvoiceForm, VoidForm
from otop.pos.models import Register, Sale, Shift
from otop.tax import selectors as tax_selectors

TILL = "accounts.operate_till"
SHELL_VERSION = "pos-v1"


_till = staff_only(TILL)


@require_GET
@_till
def home(request: HttpRequest) -> HttpResponse:
    registers = [(register, selectors.open_shift_of(register)) for register in selectors.registers()]
    return render(request, "pos/home.html", {"registers": registers})


@require_GET
@_till
def register(request: HttpRequest, code: str) -> HttpResponse:
    till = get_object_or_404(Register, code=code, is_active=True)
    shift = selectors.open_shift_of(till)
    items, options = selectors.menu_of(till)
    profile = center_profile()
    config = {
        "register": till.code,
        "kind": till.kind,
        "prefix": till.receipt_prefix,
        "shiftId": shift.pk if shift else None,
        "discountLimit": str(till.discount_limit_percent),
        "api": "/api/v1/pos",
        "catalogUrl": reverse("pos:catalog"),
        "swUrl": reverse("pos:service-worker"),
        "scope": reverse("pos:home"),
        "hasPrinter": bool(till.printer_host),
        "seller": profile.legal_name_th or profile.name_th,
        "taxId": profile.tax_id,
        "branch": profile.branch_code,
        "menu": [
            {
                "id": i.pk,
                "code": i.code,
                "name_th": i.name_th,
                "name_en": i.name_en,
                "price": str(i.price),
                "kind": i.kind,
                "temperature": i.has_temperature,
                "sweetness": i.has_sweetness,
            }
            for i in items
        ],  # fmt: skip
        "options": [
            {"code": o.code, "group": o.group, "name_th": o.name_th, "name_en": o.name_en, "price": str(o.price)}
            for o in options
        ],
        "quickKeys": selectors.variant_rows(selectors.best_sellers(till)),
    }
    return render(request, "pos/register.html", {"till": till, "shift": shift, "config": config, "menu": items})


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /pos/ so that its scope covers the registers."""
    shell = [reverse("pos:home"), reverse("pos:catalog"), static("pos/register.js"), static("pos/register.css"),
             static("pos/idb.js")]  # fmt: skip
    shell += [reverse("pos:register", args=[code]) for code in selectors.registers().values_list("code", flat=True)]
    body = render(request, "pos/sw.js", {"shell_json": json.dumps(shell), "version": SHELL_VERSION}).content
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("pos:home")
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("OTOP Center register"),
        "short_name": _("Register"),
        "start_url": reverse("pos:home"),
        "scope": reverse("pos:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#5b2a86",
        "icons": [{"src": static("pos/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
@_till
def catalog(request: HttpRequest) -> JsonResponse:
    """The offline price list: every sellable item's barcode, name and price, and the list's version
    (sales rung up offline send it, so the server knows which prices the register showed)."""
    price_list = services.publish_price_list()
    return JsonResponse(
        {"version": price_list.version, "items": selectors.catalog_snapshot()},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@_till
def receipt(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(sale_id)
    return render(request, "pos/receipt.html", {"sale": sale, "center": center_profile()})


@require_GET
@_till
def bar_ticket(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(sale_id)
    return render(request, "pos/bar_ticket.html", {"sale": sale})


@require_http_methods(["GET", "POST"])
@_till
def void(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Void (same shift) or refund (later) a sale: a reason and a manager's PIN; goods go back on the shelf."""
    sale = _sale(sale_id)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_sale(sale=sale, actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Sale %(code)s: %(status)s.")
                % {"code": sale.receipt_code, "status": Sale.objects.get(pk=sale.pk).get_status_display()},
            )
            return redirect("pos:receipt", sale_id=sale.pk)
    return render(request, "pos/void.html", {"sale": sale, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@_till
def refund_lines(request: HttpRequest, sale_id: int) -> HttpResponse:
    """Refund some units of some lines (a partial refund): a reason and a manager's PIN; cash from the drawer."""
    sale = _sale(sale_id)
    returned = selectors.returned_quantities(sale)
    lines = [(line, line.quantity - returned.get(line.pk, 0)) for line in sale.lines.all()]
    form = RefundLinesForm(request.POST or None, lines=[(line, left) for line, left in lines if left > 0])
    if request.method == "POST" and form.is_valid():
        try:
            record = services.refund_sale_lines(
                sale=sale,
                lines=[services.ReturnedUnits(line_id=pk, quantity=units) for pk, units in form.returned()],
                reason=form.cleaned_data["reason"],
                manager_pin=form.cleaned_data["manager_pin"],
                actor=acting_user(request),
            )
        except DomainError as error:
            for name, problems in error.fields.items():
                field = name.replace("lines.", "line_")
                form.add_error(field if field in form.fields else None, problems)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Sale %(code)s: %(amount)s paid back in cash, credit note %(note)s.")
                % {"code": sale.receipt_code, "amount": f"฿{record.amount:,.2f}", "note": record.credit_note.code},
            )
            return redirect("pos:receipt", sale_id=sale.pk)
    context = {"sale": sale, "form": form, "returns": selectors.returns_of(sale)}
    return render(request, "pos/refund_lines.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@_till
def tax_invoice(request: HttpRequest, sale_id: int) -> HttpResponse:
    sale = _sale(sale_id)
    invoice = tax_selectors.live_invoice_of(source_type=services.SALE_SOURCE, source_id=sale.pk)
    form = TaxInvoiceForm(request.POST or None)
    if invoice is None and request.method == "POST" and form.is_valid():
        try:
            services.issue_tax_invoice(sale=sale, actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            for name, problems in error.fields.items():
                form.add_error(name if name in form.fields else None, problems)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            return redirect("pos:tax-invoice", sale_id=sale.pk)
    return render(
        request,
        "pos/tax_invoice.html",
        {"sale": sale, "invoice": invoice, "form": form},
    )


@require_GET
@_till
def z_report_pdf(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.select_related("register"), pk=shift_id)
    return z_report_pdf_response(shift)


@require_GET
@_till
def bar_screen(request: HttpRequest, code: str) -> HttpResponse:
    """The bar's screen: the latest drink orders of the tea corner, newest first."""
    till = get_object_or_404(Register, code=code, kind=Register.Kind.TEA)
    sales = (
        Sale.objects.filter(register=till, status=Sale.Status.COMPLETED)
        .prefetch_related("lines")
        .order_by("-sold_at")[:12]
    )
    return render(request, "pos/bar_screen.html", {"till": till, "sales": sales})


@require_GET
@login_required
@permission_required("pos.view_sale", raise_exception=True)
def review(request: HttpRequest) -> HttpResponse:
    return render(request, "pos/review.html", {"sales": selectors.sales_needing_review()})


def _sale(sale_id: int) -> Sale:
    sale = selectors.sale_for_receipt(sale_id)
    if sale is None:
        raise Http404
    return sale
