"""Pages of the producer portal, the public producer page and the staff's producer registry."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.pages import staff_only
from otop.core.uploads import private_file_response
from otop.producers import selectors, services
from otop.producers.access import portal_view
from otop.producers.forms import (
    BankAccountForm,
    CertificationForm,
    PortalAccountForm,
    PortalProfileForm,
    StaffProducerForm,
)
from otop.producers.models import BankAccount, Certification, Producer
from otop.producers.sections import sections_for


def _address_field(form):
    """The form field that shows a service's message about an address part (province → province_name)."""
    names = getattr(form, "ADDRESS_FIELDS", {})
    return lambda name: names.get(name, name)


# --- the producer portal ---------------------------------------------------------------------


@require_GET
@portal_view
def portal_home(request: HttpRequest, producer: Producer) -> HttpResponse:
    context = {
        "producer": producer,
        "sections": sections_for("portal", producer),
        "expiring": selectors.expiring_certifications().filter(producer=producer),
        "bank_account": producer.confirmed_bank_account,
        "pending_bank_account": producer.bank_accounts.filter(status=BankAccount.Status.PENDING).first(),
    }
    return render(request, "producers/portal/home.html", context)


@require_http_methods(["GET", "POST"])
@portal_view
def portal_profile(request: HttpRequest, producer: Producer) -> HttpResponse:
    form = PortalProfileForm(request.POST or None, instance=producer)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            services.update_producer(actor=acting_user(request), producer=producer, address=form.address, **changes)
        except DomainError as error:
            add_domain_error(form, error, field_for=_address_field(form))
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("producers:portal")
    return render(request, "producers/portal/form.html", {"form": form, "title": _("My profile")})


@require_http_methods(["GET", "POST"])
@portal_view
def portal_bank_account(request: HttpRequest, producer: Producer) -> HttpResponse:
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_bank_account(actor=acting_user(request), producer=producer, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, field_for=_address_field(form))
        else:
            messages.success(request, _("Saved. The new account is used for payouts once the center confirms it."))
            return redirect("producers:portal")
    context = {"form": form, "accounts": selectors.bank_accounts_of(producer)}
    return render(request, "producers/portal/bank_account.html", context)


@require_http_methods(["GET", "POST"])
@portal_view
def portal_certifications(request: HttpRequest, producer: Producer) -> HttpResponse:
    form = CertificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_certification(actor=acting_user(request), producer=producer, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, field_for=_address_field(form))
        else:
            messages.success(request, _("The certification was added."))
            return redirect("producers:portal-certifications")
    context = {"form": form, "certifications": producer.certifications.all()}
    return render(request, "producers/portal/certifications.html", context)


@require_GET
@login_required
def certification_document(request: HttpRequest, certification_id: int) -> HttpResponse:
    """A certification's document, as a download: for its producer and for staff who see certifications."""
    certification = get_object_or_404(Certification.objects.select_related("producer"), pk=certification_id)
    own = selectors.producer_of(request.user)
    allowed = (own is not None and own.pk == certification.producer_id) or request.user.has_perm(
        "producers.view_certification"
    )
    if not allowed:
        raise PermissionDenied
    if not certification.document:
        raise Http404
    return private_file_response(certification.document, download_name=f"certification-{certification.pk}")


# --- public ----------------------------------------------------------------------------------


@require_GET
def public_page(request: HttpRequest, producer_id: int) -> HttpResponse:
    try:
        producer = selectors.producer_with_details(producer_id=producer_id)
    except Producer.DoesNotExist as error:
        raise Http404 from error
    if not producer.is_active:
        raise Http404
    context = {
        "producer": producer,
        "sections": sections_for("public", producer),
        "photos": producer.photos.all(),
        "certifications": producer.certifications.all(),
    }
    return render(request, "producers/public.html", context)


# --- back office -----------------------------------------------------------------------------


@require_GET
@staff_only("producers.view_producer")
def backoffice_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    producers = selectors.registry()
    if query:
        producers = producers.filter(name_th__icontains=query) | producers.filter(phone__icontains=query)
    context = {
        "producers": producers[:200],
        "query": query,
        "pending_bank_accounts": selectors.pending_bank_accounts(),
    }
    return render(request, "producers/backoffice/list.html", context)


@require_http_methods(["GET", "POST"])
@staff_only("producers.add_producer")
def backoffice_create(request: HttpRequest) -> HttpResponse:
    form = StaffProducerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            producer = services.register_producer(actor=acting_user(request), address=form.address, **fields)
        except DomainError as error:
            add_domain_error(form, error, field_for=_address_field(form))
        else:
            messages.success(request, _("The producer was registered."))
            return redirect("producers:backoffice-detail", producer_id=producer.pk)
    return render(request, "producers/backoffice/form.html", {"form": form, "title": _("Register a producer")})


@require_http_methods(["GET", "POST"])
@staff_only("producers.change_producer")
def backoffice_edit(request: HttpRequest, producer_id: int) -> HttpResponse:
    producer = get_object_or_404(selectors.registry(), pk=producer_id)
    form = StaffProducerForm(request.POST or None, instance=producer)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            services.update_producer(
                actor=acting_user(request), producer=producer, address=form.address, by_staff=True, **changes
            )
        except DomainError as error:
            add_domain_error(form, error, field_for=_address_field(form))
        else:
            messages.success(request, _("The producer was saved."))
            return redirect("producers:backoffice-detail", producer_id=producer.pk)
    return render(request, "producers/backoffice/form.html", {"form": form, "title": producer.name_th})


def _detail_context(request: HttpRequest, producer: Producer) -> dict:
    return {
        "producer": producer,
        "can_see_bank": request.user.has_perm("producers.view_bankaccount"),
        "can_reveal_bank": request.user.has_perm("producers.reveal_bankaccount"),
        "can_reveal_tax_id": request.user.has_perm("producers.view_national_id"),
        "bank_accounts": selectors.bank_accounts_of(producer),
        "certifications": producer.certifications.all(),
        "sections": sections_for("backoffice", producer),
        "account_form": PortalAccountForm(initial={"phone": producer.phone}),
        "revealed": {},
    }


@require_GET
@staff_only("producers.view_producer")
def backoffice_detail(request: HttpRequest, producer_id: int) -> HttpResponse:
    producer = get_object_or_404(selectors.registry(), pk=producer_id)
    return render(request, "producers/backoffice/detail.html", _detail_context(request, producer))


@require_POST
@staff_only("producers.view_producer")
def backoffice_reveal(request: HttpRequest, producer_id: int) -> HttpResponse:
    """Show one encrypted number in full to a role that needs it (audited by the service); htmx swaps it in."""
    producer = get_object_or_404(selectors.registry(), pk=producer_id)
    what = request.POST.get("what", "")
    actor = acting_user(request)
    if what == "tax_id":
        revealed = {"tax_id": True}
        value = services.reveal_tax_id(actor=actor, producer=producer)
    elif what == "account" and request.POST.get("account", "").isdigit():
        if not request.user.has_perm("producers.view_bankaccount"):
            raise PermissionDenied
        account = get_object_or_404(producer.bank_accounts.all(), pk=int(request.POST["account"]))
        revealed = {"account": account.pk}
        value = services.reveal_account_number(actor=actor, account=account)
    else:
        raise Http404
    if request.htmx:
        response = render(request, "producers/backoffice/detail.html#revealed", {"value": value})
    else:
        context = _detail_context(request, producer)
        context.update(revealed={**revealed, "value": value}, value=value)
        response = render(request, "producers/backoffice/detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_only("producers.confirm_bankaccount")
def backoffice_confirm_bank_account(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(BankAccount, pk=account_id)
    try:
        if request.POST.get("action") == "reject":
            services.reject_bank_account(actor=acting_user(request), account=account)
            messages.success(request, _("The bank account was rejected."))
        else:
            services.confirm_bank_account(actor=acting_user(request), account=account)
            messages.success(request, _("The bank account was confirmed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("producers:backoffice-detail", producer_id=account.producer_id)


@require_POST
@staff_only("producers.change_producer")
def backoffice_portal_account(request: HttpRequest, producer_id: int) -> HttpResponse:
    """Open a portal account, or give a new sign-in link: staff hand the producer a one-time link (or its
    QR code) and the producer chooses the password on their own phone."""
    producer = get_object_or_404(selectors.registry(), pk=producer_id)
    try:
        if not producer.user_id:
            form = PortalAccountForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("phone", []):
                    messages.error(request, error)
                return redirect("producers:backoffice-detail", producer_id=producer.pk)
            services.open_portal_account(
                actor=acting_user(request), producer=producer, phone=form.cleaned_data["phone"]
            )
        link = services.portal_sign_in_link(
            actor=acting_user(request), producer=producer, base_url=request.build_absolute_uri("/")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("producers:backoffice-detail", producer_id=producer.pk)
    qr = segno.make(link, error="m").svg_inline(scale=5, title=_("Sign-in link"))
    return render(request, "producers/backoffice/sign_in_link.html", {"producer": producer, "link": link, "qr": qr})


@require_GET
@staff_only("producers.view_certification")
def backoffice_expiring(request: HttpRequest) -> HttpResponse:
    context = {"certifications": selectors.expiring_certifications()}
    return render(request, "producers/backoffice/expiring.html", context)
