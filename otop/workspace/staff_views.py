"""Staff pages: the calendar of a day or week, booking for others, blocks, check-in, no-show,
payments at the counter, WiFi passwords and the monthly utilisation."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.i18n import current_language
from otop.core.pages import staff_only
from otop.workspace.forms import BlockForm, BookingForm, MonthForm, PaymentForm, TimeRangeForm, WifiForm
from otop.workspace.models import Booking, Space, WifiCredential
from otop.workspace.selectors import (
    amount_outstanding,
    bookable_spaces,
    bookings_for_calendar,
    monthly_utilisation,
    wifi_for_booking,
)
from otop.workspace.services import (
    block_time,
    cancel_booking,
    check_in_booking,
    create_booking,
    mark_no_show,
    move_booking,
    record_booking_payment,
    rotate_wifi_password,
)
from otop.workspace.views import promptpay_qr


def _day_from(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@require_GET
@staff_only("workspace.manage_bookings")
def calendar(request: HttpRequest) -> HttpResponse:
    day = _day_from(request)
    view = "week" if request.GET.get("view") == "week" else "day"
    if view == "week":
        day = day - timedelta(days=day.weekday())
    days = 7 if view == "week" else 1
    bookings = list(bookings_for_calendar(starts_on=day, days=days))
    by_day: dict[date, list[Booking]] = {day + timedelta(days=n): [] for n in range(days)}
    for booking in bookings:
        by_day.setdefault(timezone.localtime(booking.starts_at).date(), []).append(booking)
    step = timedelta(days=days)
    context = {
        "day": day,
        "view": view,
        "by_day": sorted(by_day.items()),
        "previous": day - step,
        "next": day + step,
        "today": timezone.localdate(),
        "spaces": bookable_spaces(),
    }
    return render(request, "workspace/staff/calendar.html", context)


@require_http_methods(["GET", "POST"])
@staff_only("workspace.manage_bookings")
def staff_book(request: HttpRequest, slug: str) -> HttpResponse:
    """Book for someone else (kind=booking) or block a time (kind=block)."""
    space = get_object_or_404(Space, slug=slug)
    is_block = request.GET.get("kind") == "block" or request.POST.get("kind") == "block"
    form_class = BlockForm if is_block else BookingForm
    form = form_class(request.POST or None, space=space, initial={"day": _day_from(request), "attendees": 1})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            starts_at, ends_at = form.times()
            try:
                if is_block:
                    booking = block_time(
                        space=space, starts_at=starts_at, ends_at=ends_at, reason=form.cleaned_data["reason"],
                        actor=acting_user(request),
                    )  # fmt: skip
                else:
                    data = form.cleaned_data
                    booking = create_booking(
                        space=space, starts_at=starts_at, ends_at=ends_at, name=data["name"], phone=data["phone"],
                        email=data["email"], purpose=data["purpose"], attendees=data["attendees"],
                        booked_by=acting_user(request), language=current_language(),
                        site_url=request.build_absolute_uri("/").rstrip("/"),
                    )  # fmt: skip
            except DomainError as error:
                form.add_error(None, error.message)
                status = 409 if error.status == 409 else 400
            else:
                messages.success(request, _("Saved."))
                return redirect("workspace:staff-booking", pk=booking.pk)
    context = {"space": space, "form": form, "is_block": is_block}
    return render(request, "workspace/staff/book.html", context, status=status)


@require_GET
@staff_only("workspace.manage_bookings")
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("space", "user", "booked_by"), pk=pk)
    local_start, local_end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    context = {
        "booking": booking,
        "wifi": wifi_for_booking(booking),
        "outstanding": amount_outstanding(booking),
        "qr": promptpay_qr(booking),
        "payments": booking.payments.select_related("created_by").order_by("created_at", "pk"),
        "events": booking.events.select_related("actor"),
        "payment_form": PaymentForm(initial={"amount": amount_outstanding(booking)}),
        "move_form": TimeRangeForm(
            space=booking.space,
            initial={"day": local_start.date(), "start": f"{local_start:%H:%M}", "end": f"{local_end:%H:%M}"},
        ),
    }
    return render(request, "workspace/staff/booking.html", context)


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk)
    try:
        action(booking)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("workspace:staff-booking", pk=pk)


@require_POST
@staff_only("workspace.manage_bookings")
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda b: check_in_booking(booking=b, actor=acting_user(request)), _("Checked in."))


@require_POST
@staff_only("workspace.manage_bookings")
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda b: mark_no_show(booking=b, actor=acting_user(request)), _("Recorded as a no-show."))


@require_POST
@staff_only("workspace.manage_bookings")
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda b: cancel_booking(booking=b, actor=acting_user(request), by_customer=False), _("Cancelled.")
    )


@require_POST
@staff_only("workspace.manage_bookings")
def staff_move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("space"), pk=pk)
    form = TimeRangeForm(request.POST, space=booking.space)
    if not form.is_valid():
        messages.error(request, _("Choose a date and times."))
        return redirect("workspace:staff-booking", pk=pk)
    starts_at, ends_at = form.times()
    return _act(
        request,
        pk,
        lambda b: move_booking(
            booking=b, starts_at=starts_at, ends_at=ends_at, actor=acting_user(request), by_customer=False
        ),
        _("Moved."),
    )


@require_POST
@staff_only("workspace.record_booking_payment")
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the method and the amount."))
        return redirect("workspace:staff-booking", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda b: record_booking_payment(
            booking=b,
            method=data["method"],
            amount=data["amount"],
            actor=acting_user(request),
            reference=data["reference"],
        ),
        _("Payment recorded."),
    )


@require_http_methods(["GET", "POST"])
@staff_only("workspace.rotate_wifi")
def wifi(request: HttpRequest) -> HttpResponse:
    form = WifiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rotate_wifi_password(
            space=data["space"], day=data["day"], actor=acting_user(request), password=data["password"]
        )
        messages.success(request, _("The WiFi password was changed."))
        return redirect("workspace:staff-wifi")
    today = timezone.localdate()
    recent = (
        WifiCredential.objects.filter(booking__isnull=True, day__gte=today - timedelta(days=1))
        .select_related("space")
        .order_by("day", "space__position")[:30]
    )
    return render(request, "workspace/staff/wifi.html", {"form": form, "credentials": recent})


@require_POST
@staff_only("workspace.rotate_wifi")
def rotate_booking_wifi(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("space"), pk=pk)
    rotate_wifi_password(space=booking.space, booking=booking, actor=acting_user(request))
    messages.success(request, _("The WiFi password was changed."))
    return redirect("workspace:staff-booking", pk=pk)


@require_GET
@staff_only("workspace.view_utilisation")
def utilisation(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    today = timezone.localdate()
    year, month = today.year, today.month
    if form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
        if not 1 <= month <= 12:
            year, month = today.year, today.month
    rows = [(space, monthly_utilisation(year=year, month=month, space=space)) for space in bookable_spaces()]
    context = {
        "month_value": f"{year:04d}-{month:02d}",
        "month_start": date(year, month, 1),
        "rows": rows,
        "total": monthly_utilisation(year=year, month=month),
    }
    return render(request, "workspace/staff/utilisation.html", context)
