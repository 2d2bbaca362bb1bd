"""Public booking pages: spaces, free and taken times, booking, confirmation, .ics, cancel and move."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.i18n import current_language, localized
from otop.core.selectors import center_profile
from otop.workspace import ics
from otop.workspace.errors import SlotTaken
from otop.workspace.forms import BookingForm, TimeRangeForm
from otop.workspace.models import Booking, Space
from otop.workspace.selectors import (
    amount_outstanding,
    bookable_spaces,
    booking_for_token,
    booking_promptpay_qr,
    can_customer_change,
    change_deadline,
    day_availability,
    week_availability,
    wifi_for_guest,
)
from otop.workspace.services import cancel_booking, create_booking, move_booking


def _day_from(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    return max(day, timezone.localdate())


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def spaces(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/spaces.html", {"spaces": bookable_spaces()})


def _space_page(request: HttpRequest, space: Space, form: BookingForm, *, status: int = 200) -> HttpResponse:
    day = form.cleaned_data.get("day") if form.is_bound and hasattr(form, "cleaned_data") else None
    day = day or _day_from(request)
    view = "week" if request.GET.get("view") == "week" else "day"
    today = timezone.localdate()
    context = {
        "space": space,
        "form": form,
        "day": day,
        "view": view,
        "availability": day_availability(space=space, day=day),
        "week": week_availability(space=space, first_day=day) if view == "week" else None,
        "previous_day": day - timedelta(days=1) if day > today else None,
        "next_day": day + timedelta(days=1),
        "previous_week": day - timedelta(days=7) if day - timedelta(days=7) >= today else None,
        "next_week": day + timedelta(days=7),
    }
    template = "workspace/space.html#availability" if request.htmx else "workspace/space.html"
    return render(request, template, context, status=status)


@require_GET
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(bookable_spaces(), slug=slug)
    day = _day_from(request)
    initial = {"day": day, "start": request.GET.get("start", "10:00"), "attendees": 1}
    user = request.user
    if user.is_authenticated:
        initial.update(name=user.get_full_name() or user.username, phone=user.phone, email=user.email)
    return _space_page(request, space, BookingForm(initial=initial, space=space))


@require_POST
def book(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(bookable_spaces(), slug=slug)
    form = BookingForm(request.POST, space=space)
    if not form.is_valid():
        return _space_page(request, space, form, status=400)
    starts_at, ends_at = form.times()
    try:
        booking = create_booking(
            space=space,
            starts_at=starts_at,
            ends_at=ends_at,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            purpose=form.cleaned_data["purpose"],
            attendees=form.cleaned_data["attendees"],
            user=acting_user(request),
            booked_by=acting_user(request),
            language=current_language(),
            site_url=_site_url(request),
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _space_page(request, space, form, status=409 if isinstance(error, SlotTaken) else 400)
    messages.success(request, _("Your booking is confirmed."))
    return redirect("workspace:booking", token=booking.token)


def _booking_or_404(token: str) -> Booking:
    booking = booking_for_token(token)
    if booking is None:
        raise Http404
    return booking


def promptpay_qr(booking: Booking) -> str:
    """An SVG QR code for what is still due, or "" when nothing is due or no PromptPay ID is set."""
    qr = booking_promptpay_qr(booking)
    return qr.svg(scale=5) if qr is not None else ""


@require_GET
def booking_detail(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    context = {
        "booking": booking,
        "space": booking.space,
        "wifi": wifi_for_guest(booking),
        "outstanding": amount_outstanding(booking),
        "qr": promptpay_qr(booking),
        "can_change": can_customer_change(booking),
        "deadline": change_deadline(booking),
    }
    response = render(request, "workspace/booking.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def booking_calendar_text(booking: Booking, *, link: str) -> str:
    wifi = wifi_for_guest(booking)
    description = [
        _("Booking %(reference)s for %(name)s") % {"reference": booking.reference, "name": booking.name},
    ]
    if booking.purpose:
        description.append(booking.purpose)
    if wifi is not None:
        description.append(
            _("WiFi: %(network)s, password %(password)s") % {"network": wifi.network_name, "password": wifi.password}
        )
    description.append(link)
    profile = center_profile()
    return ics.calendar(
        uid=f"{booking.reference}@otop-center",
        sequence=booking.sequence,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=f"{localized(booking.space, 'name')} – {localized(profile, 'name')}",
        location=" ".join(
            part
            for part in [localized(booking.space, "name"), localized(profile, "name"), localized(profile, "address")]
            if part
        ),
        description="\n".join(description),
        url=link,
        is_cancelled=not booking.is_active,
    )


@require_GET
def booking_ics(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    body = booking_calendar_text(booking, link=request.build_absolute_uri(booking_url(booking)))
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response


def booking_url(booking: Booking) -> str:
    from django.urls import reverse

    return reverse("workspace:booking", kwargs={"token": booking.token})


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    try:
        cancel_booking(booking=booking, actor=acting_user(request), by_customer=True)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your booking was cancelled."))
    return redirect("workspace:booking", token=booking.token)


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    space = booking.space
    local_start, local_end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    form = TimeRangeForm(
        request.POST or None,
        space=space,
        initial={"day": local_start.date(), "start": f"{local_start:%H:%M}", "end": f"{local_end:%H:%M}"},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            move_booking(
                booking=booking, starts_at=starts_at, ends_at=ends_at, actor=acting_user(request), by_customer=True
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 409 if isinstance(error, SlotTaken) else 400
        else:
            messages.success(request, _("Your booking was moved."))
            return redirect("workspace:booking", token=booking.token)
    elif request.method == "POST":
        status = 400
    day = form.cleaned_data.get("day") if form.is_bound and hasattr(form, "cleaned_data") else None
    context = {
        "booking": booking,
        "space": space,
        "form": form,
        "can_change": can_customer_change(booking),
        "availability": day_availability(space=space, day=day or local_start.date()),
    }
    return render(request, "workspace/move.html", context, status=status)
