"""The privacy notice, a person's own page (consents, a copy of their data, requests), and the staff pages
(the notice's versions, the queue of requests with their 30-day deadline)."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core import consent
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.pages import pdf_response, staff_only
from otop.core.personal_data import PHONE, Contact
from otop.core.thaidates import format_date
from otop.core.throttle import client_address, hit, throttled_page
from otop.notifications.sms import sms_is_set_up
from otop.privacy import breaches, guests, retention, selectors, services
from otop.privacy.documents import data_pdf
from otop.privacy.forms import (
    BreachForm,
    CloseRequestForm,
    ConsentForm,
    DataRequestForm,
    GuestCodeForm,
    GuestContactForm,
    NoticeForm,
    PdpcNoticeForm,
    RetentionRuleForm,
)
from otop.privacy.models import Breach, ConsentRecord, ContactCode, DataRequest, RetentionRule


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    version = request.GET.get("version", "")
    shown = selectors.notice_version(int(version)) if version.isdigit() and len(version) < 6 else None
    if version and shown is None:
        raise Http404
    shown = shown or selectors.current_notice()
    if shown is None:
        raise Http404
    body = shown.body_en if translation.get_language() == "en" else shown.body_th
    return render(request, "privacy/notice.html", {"notice": shown, "body": body})


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    subjects = consent.subjects_for(user_id=user.pk, email=user.email)
    live = selectors.live_consents(subjects=subjects)
    form = ConsentForm(request.POST or None, live=live)
    if request.method == "POST" and form.is_valid():
        services.set_consents(user=user, choices={purpose: form.cleaned_data[purpose] for purpose in live})
        messages.success(request, _("Your choices were saved."))
        return redirect("privacy:mine")
    decisions = selectors.latest_decisions(subjects=subjects)
    confirm_again = any(record.granted and not live[purpose] for purpose, record in decisions.items())
    return render(
        request,
        "privacy/mine.html",
        {"form": form, "request_form": DataRequestForm(), "requests": selectors.requests_of(user),
         "confirm_again": confirm_again, "notice": selectors.current_notice()},
    )  # fmt: skip


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _pdf_download(data: dict, filename: str) -> HttpResponse:
    language = "en" if translation.get_language() == "en" else "th"
    response = pdf_response(data_pdf(data, language=language), f"{filename}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def my_data_download(request: HttpRequest, file_format: str = "json") -> HttpResponse:
    verdict = hit("privacy-export", f"user:{request.user.pk}", "10/h")
    if not verdict.allowed:
        return throttled_page(request, verdict)
    data = services.export_data(user=request.user)
    filename = f"my-data-{timezone.localdate():%Y%m%d}"
    return _pdf_download(data, filename) if file_format == "pdf" else _json_download(data, filename)


def _say_request_sent(request: HttpRequest, made: DataRequest) -> None:
    messages.success(
        request,
        _("Request %(reference)s was sent. We answer by %(date)s.")
        % {"reference": made.reference, "date": format_date(made.due_at)},
    )


@require_POST
@login_required
def my_data_request(request: HttpRequest) -> HttpResponse:
    verdict = hit("privacy-request", f"user:{request.user.pk}", "5/h")
    if not verdict.allowed:
        return throttled_page(request, verdict)
    form = DataRequestForm(request.POST)
    if form.is_valid():
        try:
            made = services.ask(user=request.user, kind=form.cleaned_data["kind"], details=form.cleaned_data["details"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _say_request_sent(request, made)
            return redirect("privacy:mine")
    subjects = consent.subjects_for(user_id=request.user.pk, email=request.user.email)
    return render(
        request,
        "privacy/mine.html",
        {"form": ConsentForm(live=selectors.live_consents(subjects=subjects)), "request_form": form,
         "requests": selectors.requests_of(request.user), "notice": selectors.current_notice()},
        status=400,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every marketing message: one press withdraws that consent."""
    named = consent.read_stop_token(token)
    if named is None:
        raise Http404
    subjects, purpose = named
    done = False
    if request.method == "POST":
        services.withdraw_everywhere(subjects=subjects, purpose=purpose, channel=ConsentRecord.Channel.EMAIL)
        done = True
    label = ConsentRecord.Purpose(purpose).label
    return render(request, "privacy/stop.html", {"purpose": label, "done": done})


@require_http_methods(["GET", "POST"])
@staff_only("privacy.add_notice")
def notices(request: HttpRequest) -> HttpResponse:
    current = selectors.current_notice()
    initial = {"body_th": current.body_th, "body_en": current.body_en} if current else {}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.publish_notice(actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Version %(version)s of the notice is published.") % {"version": published.version}
            )
            return redirect("privacy:notices")
    versions = selectors.all_notices()
    return render(request, "privacy/notices.html", {"form": form, "versions": versions})


@require_GET
@staff_only("privacy.handle_datarequest")
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/requests.html",
        {"open": selectors.open_requests(), "closed": selectors.recent_closed_requests(), "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@staff_only("privacy.handle_datarequest")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = get_object_or_404(DataRequest.objects.select_related("user", "closed_by"), pk=pk)
    form = CloseRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_request(request=data_request, actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The request is closed."))
            return redirect("privacy:requests")
    return render(request, "privacy/request.html", {"item": data_request, "form": form})


@require_POST
@staff_only("privacy.handle_datarequest")
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = get_object_or_404(DataRequest, pk=pk)
    try:
        services.erase_person(request=data_request, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("privacy:request", pk=pk)
    messages.success(request, _("The person's data was erased; what the law keeps is listed on the request."))
    return redirect("privacy:requests")


@require_GET
@staff_only("privacy.handle_datarequest")
def request_export(request: HttpRequest, pk: int, file_format: str = "json") -> HttpResponse:
    data_request = get_object_or_404(DataRequest.objects.select_related("user"), pk=pk)
    contact = guests.request_contact(data_request)
    if data_request.user is not None:
        data = services.export_data(user=data_request.user)
    elif contact is not None:
        data = guests.export_guest_data(contact=contact)
    else:
        raise Http404
    services.record_export(request=data_request, actor=acting_user(request))
    if file_format == "pdf":
        return _pdf_download(data, data_request.reference)
    return _json_download(data, data_request.reference)


@require_GET
@staff_only("privacy.change_retentionrule")
def retention_rules(request: HttpRequest) -> HttpResponse:
    """Each rule with its dry run: how many records it would forget today."""
    lines = retention.retention_report()
    rows = [
        (line, RetentionRuleForm(prefix=f"r{line.rule.pk}", initial={
            "keep_for": line.rule.keep_for, "unit": line.rule.unit, "applies": line.rule.applies}))
        for line in lines
    ]  # fmt: skip
    return render(request, "privacy/retention.html", {"rows": rows})


@require_POST
@staff_only("privacy.change_retentionrule")
def retention_rule_change(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=pk)
    form = RetentionRuleForm(request.POST, prefix=f"r{rule.pk}")
    if form.is_valid():
        try:
            retention.set_retention_rule(actor=acting_user(request), rule=rule, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rule was saved; the daily job follows it from its next run."))
    else:
        messages.error(request, _("Keep data at least one day, month or year."))
    return redirect("privacy:retention")


@require_http_methods(["GET", "POST"])
@staff_only("privacy.add_breach")
def breach_list(request: HttpRequest) -> HttpResponse:
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breaches.record_breach(actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("privacy:breach", pk=breach.pk)
    now = timezone.now()
    rows = [(breach, breaches.hours_left(breach, now=now)) for breach in Breach.objects.select_related("recorded_by")]
    return render(request, "privacy/breaches.html", {"form": form, "rows": rows})


@require_GET
@staff_only("privacy.view_breach")
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_object_or_404(Breach, pk=pk)
    people = breaches.affected_people(breach)
    context = {
        "breach": breach, "hours_left": breaches.hours_left(breach), "affected": len(people),
        "by_source": sorted({person.source for person in people}), "pdpc_form": PdpcNoticeForm(),
        "notice_th": breaches.notice_text(breach, language="th"),
        "notice_en": breaches.notice_text(breach, language="en"),
    }  # fmt: skip
    return render(request, "privacy/breach.html", context)


@require_POST
@staff_only("privacy.change_breach")
def breach_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    breach = get_object_or_404(Breach, pk=pk)
    actor = acting_user(request)
    try:
        if step == "pdpc":
            form = PdpcNoticeForm(request.POST)
            form.is_valid()
            breaches.record_pdpc_notice(actor=actor, breach=breach, reference=form.cleaned_data.get("reference", ""))
        elif step == "people":
            breaches.record_people_notified(actor=actor, breach=breach)
        elif step == "close":
            breaches.close_breach(actor=actor, breach=breach)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("privacy:breach", pk=breach.pk)


@require_GET
@staff_only("privacy.change_breach")
def breach_affected(request: HttpRequest, pk: int) -> HttpResponse:
    """The people to notify, as CSV (UTF-8 with BOM for Excel); each download is audited."""
    breach = get_object_or_404(Breach, pk=pk)
    people = breaches.affected_people(breach)
    breaches.record_affected_export(actor=acting_user(request), breach=breach, count=len(people))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{breach.reference}-affected.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["source", "record", "name", "phone", "email"])
    for person in people:
        writer.writerow([person.source, person.record, person.name, person.phone, person.email])
    return response


# A guest without an account: the contact waiting for its code, then the contact proved by it.
PENDING_KEY = "privacy_guest_pending"
VERIFIED_KEY = "privacy_guest"


def _pending(request: HttpRequest) -> tuple[int, Contact] | None:
    value = request.session.get(PENDING_KEY)
    if not isinstance(value, dict):
        return None
    try:
        return int(value["code"]), Contact(kind=value["kind"], value=value["value"])
    except (KeyError, TypeError, ValueError):
        return None


def _verified(request: HttpRequest) -> tuple[ContactCode, Contact] | None:
    """The contact this browser proved with a code in the last 30 minutes, and that code."""
    value = request.session.get(VERIFIED_KEY)
    if not isinstance(value, dict):
        return None
    try:
        contact = Contact(kind=value["kind"], value=value["value"])
        until = float(value["until"])
        code_id = int(value["code"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now().timestamp() >= until:
        return None
    code = ContactCode.objects.filter(pk=code_id, used_at__isnull=False).first()
    if code is None or code.contact_digest != guests.contact_digest(contact):
        return None
    return code, contact


def _guest_step(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    # htmx swaps only 2xx answers, so a refusal it asked for comes back as 200 with the form's errors.
    context.setdefault("sms", sms_is_set_up())
    if request.htmx:
        return render(request, "privacy/guest.html#step", context)
    return render(request, "privacy/guest.html", context, status=status)


@require_http_methods(["GET", "POST"])
def guest_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the guest types the e-mail (or, with SMS set up, the mobile number) they gave; a code goes there.
    The answer is the same whether or not we hold anything under it."""
    sms = sms_is_set_up()
    form = GuestContactForm(request.POST or None, sms=sms)
    if request.method == "POST" and form.is_valid():
        contact = guests.read_contact(form.cleaned_data["contact"])
        if contact is None:
            form.add_error(
                "contact", _("Enter an e-mail address or a mobile number.") if sms else _("Enter an e-mail address.")
            )
        else:
            try:
                code = guests.send_code(
                    contact=contact, client=client_address(request), language=translation.get_language() or "th"
                )
            except DomainError as error:
                add_domain_error(form, error)
                response = _guest_step(request, {"form": form, "sms": sms}, status=error.status)
                if getattr(error, "retry_after", None):
                    response["Retry-After"] = str(error.retry_after)
                return response
            request.session[PENDING_KEY] = {"code": code.pk, "kind": contact.kind, "value": contact.value}
            request.session.pop(VERIFIED_KEY, None)
            return _guest_step(request, _code_step_context(code, contact, GuestCodeForm()))
        return _guest_step(request, {"form": form, "sms": sms}, status=400)
    return render(request, "privacy/guest.html", {"form": form, "sms": sms})


def _code_step_context(code: ContactCode | None, contact: Contact, form: GuestCodeForm) -> dict:
    context = {"code_form": form, "masked": guests.mask(contact), "by_sms": contact.kind == PHONE}
    if code is not None and contact.kind == PHONE:
        context["sms_state"], context["sms_problem"] = guests.sms_state(code)
    return context


@require_GET
def guest_code_status(request: HttpRequest) -> HttpResponse:
    """Whether the SMS with the guest's code went out (the code step asks while it is on its way)."""
    pending = _pending(request)
    if pending is None:
        return redirect("privacy:guest")
    code_id, contact = pending
    code = ContactCode.objects.filter(pk=code_id).first()
    return render(request, "privacy/guest.html#sms-status", _code_step_context(code, contact, GuestCodeForm()))


@require_POST
def guest_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the e-mail; right, it opens the guest's data page for 30 minutes."""
    pending = _pending(request)
    if pending is None:
        return redirect("privacy:guest")
    code_id, contact = pending
    form = GuestCodeForm(request.POST)
    context = _code_step_context(ContactCode.objects.filter(pk=code_id).first(), contact, form)
    if not form.is_valid():
        return _guest_step(request, context, status=400)
    try:
        code = guests.check_code(
            code_id=code_id, contact=contact, code=form.cleaned_data["code"], client=client_address(request)
        )
    except DomainError as error:
        add_domain_error(form, error)
        response = _guest_step(request, context, status=error.status)
        if getattr(error, "retry_after", None):
            response["Retry-After"] = str(error.retry_after)
        return response
    request.session.cycle_key()
    request.session.pop(PENDING_KEY, None)
    request.session[VERIFIED_KEY] = {
        "code": code.pk, "kind": contact.kind, "value": contact.value,
        "until": (timezone.now() + guests.VERIFIED_FOR).timestamp(),
    }  # fmt: skip
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("privacy:guest-data")
        return response
    return redirect("privacy:guest-data")


@require_GET
def guest_data(request: HttpRequest) -> HttpResponse:
    """The guest's page: what we hold under the contact, the downloads, and the request form."""
    verified = _verified(request)
    if verified is None:
        messages.info(request, _("Prove your e-mail address with a code first."))
        return redirect("privacy:guest")
    _code, contact = verified
    return _guest_data_page(request, contact=contact, form=DataRequestForm())


def _guest_data_page(request: HttpRequest, *, contact: Contact, form: DataRequestForm, status: int = 200):
    data = guests.export_guest_data(contact=contact)
    held = {
        "orders": len(data.get("orders", {}).get("orders", [])),
        "bookings": len(data.get("workspace", {}).get("bookings", [])),
        "consents": len(data["consents"]),
    }
    context = {
        "contact": contact, "held": held, "request_form": form,
        "requests": guests.guest_requests(contact).order_by("-requested_at"),
    }  # fmt: skip
    return render(request, "privacy/guest_data.html", context, status=status)


@require_GET
def guest_download(request: HttpRequest, file_format: str) -> HttpResponse:
    verified = _verified(request)
    if verified is None:
        return redirect("privacy:guest")
    code, contact = verified
    verdict = hit("privacy-export", f"guest:{guests.contact_digest(contact)}", "10/h")
    if not verdict.allowed:
        return throttled_page(request, verdict)
    data = guests.export_guest_data(contact=contact)
    guests.record_guest_export(code=code, contact=contact, file_format=file_format)
    filename = f"my-data-{timezone.localdate():%Y%m%d}"
    return _pdf_download(data, filename) if file_format == "pdf" else _json_download(data, filename)


@require_POST
def guest_request(request: HttpRequest) -> HttpResponse:
    verified = _verified(request)
    if verified is None:
        return redirect("privacy:guest")
    code, contact = verified
    verdict = hit("privacy-request", f"guest:{guests.contact_digest(contact)}", "5/h")
    if not verdict.allowed:
        return throttled_page(request, verdict)
    form = DataRequestForm(request.POST)
    if form.is_valid():
        try:
            made = guests.ask_as_guest(
                contact=contact, kind=form.cleaned_data["kind"], details=form.cleaned_data["details"], code=code
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _say_request_sent(request, made)
            return redirect("privacy:guest-data")
    return _guest_data_page(request, contact=contact, form=form, status=400)


@require_POST
def guest_finish(request: HttpRequest) -> HttpResponse:
    """Close the guest's access on this browser (a shared phone)."""
    request.session.pop(VERIFIED_KEY, None)
    request.session.pop(PENDING_KEY, None)
    return redirect("privacy:guest")
