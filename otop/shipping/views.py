"""Staff pages: parcels to book and on their way, the packing screen (scan each item), booking, labels."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.pages import pdf_response, staff_only
from otop.orders import selectors as order_selectors
from otop.orders.models import Order
from otop.shipping import selectors, services
from otop.shipping.labels import render_labels_pdf, render_packing_slip_pdf
from otop.shipping.models import Carrier, CodRemittanceLine, PickupRequest, Shipment

MAX_SCANS = 500


@require_GET
@staff_only("shipping.view_shipment")
def shipment_list(request: HttpRequest) -> HttpResponse:
    shipments = list(
        Shipment.objects.select_related("order", "service__carrier")
        .exclude(status__in=[Shipment.Status.DELIVERED, Shipment.Status.CANCELLED])
        .exclude(return_received_at__isnull=False)
        .order_by("-needs_attention", "created_at")[:300]
    )
    context = {
        "pickups": list(PickupRequest.objects.filter(day__gte=timezone.localdate()).select_related("carrier")[:10]),
        "pickup_carriers": list(Carrier.objects.filter(is_enabled=True, kind=Carrier.Kind.FLASH)),
        "returnable": services.RETURNABLE,
        "held_remittances": CodRemittanceLine.objects.filter(outcome=CodRemittanceLine.Outcome.HELD).count(),
        "to_pack": [s for s in shipments if order_selectors.awaits_fulfilment(s.order)],
        "to_book": [s for s in shipments if s.order.status == Order.Status.PACKED],
        "on_the_way": [s for s in shipments if s.status != Shipment.Status.AWAITING_BOOKING],
        "flash_kind": Carrier.Kind.FLASH,
    }
    return render(request, "shipping/list.html", context)


@require_GET
@staff_only("shipping.view_shipment")
def pick_list(request: HttpRequest) -> HttpResponse:
    """The paid orders' items to take from the shelves, by location."""
    return render(request, "shipping/pick_list.html", {"lines": selectors.pick_list()})


def _scans(request: HttpRequest, number: str) -> list[str]:
    return request.session.get(f"packing:{number}", [])


@require_http_methods(["GET", "POST"])
@staff_only("shipping.change_shipment")
def pack(request: HttpRequest, number: str) -> HttpResponse:
    """Scan each item of a paid order; a wrong item or count shows red and the order cannot be finished."""
    order = order_selectors.order_by_number(number=number)
    if order is None:
        raise Http404
    key = f"packing:{number}"
    scans = _scans(request, number)
    if request.method == "POST":
        action = request.POST.get("action", "scan")
        if action == "scan":
            code = request.POST.get("code", "").strip()[:40]
            if code and len(scans) < MAX_SCANS:
                scans = [*scans, code]
        elif action == "reset":
            scans = []
        elif action == "finish":
            try:
                services.finish_packing(order=order, scanned=scans, actor=acting_user(request))
            except DomainError as error:
                messages.error(request, error.message)
            else:
                request.session.pop(key, None)
                messages.success(request, _("Order %(number)s is packed.") % {"number": order.number})
                return redirect("shipping:list")
        request.session[key] = scans
    differences = services.packing_differences(order, scans)
    rows = []
    for line in order.lines.all():
        wanted, counted = differences.get(line.sku, (line.quantity, line.quantity))
        rows.append({"line": line, "wanted": wanted, "scanned": counted, "ok": line.sku not in differences})
    unknown = [(sku, counted) for sku, (wanted, counted) in differences.items() if wanted == 0]
    context = {
        "order": order,
        "rows": rows,
        "unknown": unknown,
        "can_finish": not differences and order_selectors.awaits_fulfilment(order),
        "scans": scans,
    }
    template = "shipping/pack.html#scan-table" if request.htmx else "shipping/pack.html"
    return render(request, template, context)


@require_POST
@staff_only("shipping.change_shipment")
def book(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = get_object_or_404(Shipment, pk=shipment_id)
    try:
        booked = services.book_shipment(
            shipment=shipment,
            actor=acting_user(request),
            tracking_number=request.POST.get("tracking_number", "")[:40],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Booked: tracking number %(number)s.") % {"number": booked.tracking_number})
    return redirect("shipping:list")


@require_GET
@staff_only("shipping.view_shipment")
def label(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = get_object_or_404(
        Shipment.objects.select_related("order__subdistrict", "order__district", "order__province", "service__carrier"),
        pk=shipment_id,
    )
    if not shipment.tracking_number:
        raise Http404
    return pdf_response(render_labels_pdf([shipment]), f"label-{shipment.tracking_number}.pdf")


@require_GET
@staff_only("shipping.view_shipment")
def batch_labels(request: HttpRequest) -> HttpResponse:
    """Today's booked labels in one PDF (a page each)."""
    today = timezone.localdate()
    shipments = list(
        Shipment.objects.select_related(
            "order__subdistrict", "order__district", "order__province", "service__carrier", "service"
        )
        .filter(booked_at__date=today)
        .exclude(tracking_number="")
        .order_by("booked_at", "pk")
    )
    if not shipments:
        messages.info(request, _("No parcels were booked today."))
        return redirect("shipping:list")
    return pdf_response(render_labels_pdf(shipments), f"labels-{today:%Y%m%d}.pdf")


@require_GET
@staff_only("shipping.view_shipment")
def packing_slip(request: HttpRequest, number: str) -> HttpResponse:
    order = order_selectors.order_by_number(number=number)
    if order is None or order.delivery_method != Order.Delivery.PARCEL:
        raise Http404
    return pdf_response(render_packing_slip_pdf(order, selectors.shipment_of(order)), f"packing-{order.number}.pdf")


@require_POST
@staff_only("shipping.change_shipment")
def request_pickup(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = get_object_or_404(Carrier, pk=carrier_id, is_enabled=True)
    try:
        pickup = services.request_pickup(carrier=carrier, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Courier asked for %(count)s parcels: pickup number %(ticket)s.")
            % {"count": pickup.parcels, "ticket": pickup.ticket},
        )
    return redirect("shipping:list")


@require_POST
@staff_only("shipping.change_shipment")
def receive_return(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = get_object_or_404(Shipment, pk=shipment_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick that the parcel is in your hands before receiving it back."))
        return redirect("shipping:list")
    try:
        received = services.receive_return(shipment=shipment, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Parcel %(tracking)s received back: its goods are in stock again and order %(number)s is %(status)s.")
            % {
                "tracking": received.tracking_number,
                "number": received.order.number,
                "status": received.order.get_status_display(),
            },
        )
    return redirect("shipping:list")


@require_http_methods(["GET", "POST"])
@staff_only("orders.confirm_payment")
def cod_remittances(request: HttpRequest) -> HttpResponse:
    """Import a carrier's COD remittance CSV; the lines held for staff, each with its reason."""
    carriers = list(Carrier.objects.filter(offers_cod=True))
    if request.method == "POST":
        carrier = next((c for c in carriers if str(c.pk) == request.POST.get("carrier", "")), None)
        upload = request.FILES.get("file")
        if carrier is None or upload is None:
            messages.error(request, _("Choose the carrier and the remittance file (CSV)."))
        elif upload.size > services.MAX_REMITTANCE_BYTES:
            messages.error(request, _("The file is larger than 2 MB."))
        else:
            try:
                remittance = services.import_cod_remittance(
                    carrier=carrier, data=upload.read(), file_name=upload.name, actor=acting_user(request)
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                counts = selectors.remittance_counts(remittance)
                messages.success(
                    request,
                    _("Imported %(file)s: %(paid)s orders paid, %(held)s lines held for you.")
                    % {"file": remittance.file_name, "paid": counts["paid"], "held": counts["held"]},
                )
            return redirect("shipping:cod")
    context = {
        "carriers": carriers,
        "held": selectors.held_remittance_lines(),
        "recent": selectors.recent_remittances(),
    }
    return render(request, "shipping/cod.html", context)


@require_POST
@staff_only("orders.confirm_payment")
def resolve_remittance_line(request: HttpRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(CodRemittanceLine, pk=line_id)
    try:
        services.resolve_remittance_line(line=line, note=request.POST.get("note", ""), actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Line resolved."))
    return redirect("shipping:cod")
