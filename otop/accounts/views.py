from __future__ import annotations

import base64

import segno
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts import two_factor
from otop.accounts.forms import (
    PhoneSignUpForm,
    ResetByEmailForm,
    SecondFactorForm,
    SignInForm,
    SignUpCodeForm,
    SignUpForm,
)
from otop.accounts.messages import code_sender
from otop.accounts.middleware import forget_rules
from otop.accounts.models import PhoneSignUp
from otop.accounts.roles import ROLE_LABELS
from otop.accounts.selectors import areas_for, roles_of
from otop.accounts.services import (
    AccountExists,
    finish_phone_sign_up,
    sign_up_customer,
    sign_up_sms_state,
    start_phone_sign_up,
)
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.throttle import client_address, throttle


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_GET
@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """Show who is signed in, their roles and the areas they may open."""
    roles = [ROLE_LABELS[role] for role in roles_of(request.user)]
    return render(request, "accounts/home.html", {"roles": roles, "areas": areas_for(request.user)})


@require_http_methods(["GET", "POST"])
@throttle("accounts.signup", "10/h")
def sign_up(request: HttpRequest) -> HttpResponse:
    """A shopper opens a customer account (for their order history and a cart kept across devices)."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up_customer(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=(get_language() or "th")[:2],
            )
        except AccountExists as error:
            form.add_error("email", error.message)
        else:
            login(request, user, backend="otop.accounts.backends.PhoneOrUsernameBackend")
            return redirect(next_url or "accounts:home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


PHONE_SIGN_UP_KEY = "accounts_phone_sign_up"


def _phone_step(request: HttpRequest, context: dict, *, status: int = 200, retry_after: int | None = None):
    # htmx swaps only 2xx answers, so a refusal it asked for comes back as 200 with the form's errors.
    template = "accounts/signup_phone.html#step" if request.htmx else "accounts/signup_phone.html"
    response = render(request, template, context, status=200 if request.htmx else status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _pending_sign_up(request: HttpRequest) -> PhoneSignUp | None:
    value = request.session.get(PHONE_SIGN_UP_KEY)
    if not isinstance(value, dict):
        return None
    return PhoneSignUp.objects.filter(pk=value.get("id"), phone=value.get("phone")).first()


def _code_context(pending: PhoneSignUp, form: SignUpCodeForm) -> dict:
    state, problem = sign_up_sms_state(pending)
    return {"code_form": form, "masked": str(pending), "sms_state": state, "sms_problem": problem}


@require_http_methods(["GET", "POST"])
@throttle("accounts.signup", "10/h")
def sign_up_by_phone(request: HttpRequest) -> HttpResponse:
    """A shopper opens a customer account with a mobile number, proved by a code sent there by SMS."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    if code_sender() is None:
        return render(request, "accounts/signup_phone.html", {"no_sms": True})
    form = PhoneSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = start_phone_sign_up(
                name=form.cleaned_data["name"], phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"], client=client_address(request),
                language=(get_language() or "th")[:2],
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
            return _phone_step(
                request, {"form": form}, status=error.status, retry_after=getattr(error, "retry_after", None)
            )
        request.session[PHONE_SIGN_UP_KEY] = {"id": pending.pk, "phone": pending.phone}
        return _phone_step(request, _code_context(pending, SignUpCodeForm()))
    return _phone_step(request, {"form": form}, status=400 if request.method == "POST" else 200)


@require_POST
def sign_up_by_phone_code(request: HttpRequest) -> HttpResponse:
    """The code from the SMS: right, the account is opened and signed in."""
    pending = _pending_sign_up(request)
    if pending is None:
        return redirect("accounts:signup-phone")
    form = SignUpCodeForm(request.POST)
    if form.is_valid():
        try:
            user = finish_phone_sign_up(
                pending_id=pending.pk, phone=pending.phone, code=form.cleaned_data["code"],
                client=client_address(request),
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
            pending.refresh_from_db()
            return _phone_step(
                request, _code_context(pending, form), status=error.status,
                retry_after=getattr(error, "retry_after", None),
            )  # fmt: skip
        request.session.pop(PHONE_SIGN_UP_KEY, None)
        login(request, user, backend="otop.accounts.backends.PhoneOrUsernameBackend")
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("accounts:home")
            return response
        return redirect("accounts:home")
    return _phone_step(request, _code_context(pending, form), status=400)


@require_GET
def sign_up_by_phone_sms(request: HttpRequest) -> HttpResponse:
    """Whether the SMS with the sign-up code went out (the code step asks while it is on its way)."""
    pending = _pending_sign_up(request)
    if pending is None:
        return redirect("accounts:signup-phone")
    return render(request, "accounts/signup_phone.html#sms-status", _code_context(pending, SignUpCodeForm()))


@method_decorator(throttle("accounts.password_reset", "5/h"), name="dispatch")
class ResetByEmailView(auth_views.PasswordResetView):
    """Ask for a link by e-mail. The answer is the same whether or not an account has that address."""

    template_name = "accounts/password_reset.html"
    form_class = ResetByEmailForm
    success_url = reverse_lazy("accounts:password-reset-sent")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@method_decorator(throttle("accounts.password_set", "20/h"), name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail, or the one staff gave a producer: choose a new password."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password-set-done")


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangedView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@require_http_methods(["GET", "POST"])
@login_required
@throttle("two-factor", "10/m", key=lambda request: f"user:{request.user.pk}")
def second_factor(request: HttpRequest) -> HttpResponse:
    """Give the second factor, or set one up (a QR code for an authenticator app, then recovery codes)."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SecondFactorForm(request.POST or None)
    if two_factor.has_second_factor(user):
        if user.is_verified():
            return redirect(next_url or "accounts:home")
        if request.method == "POST" and form.is_valid():
            if two_factor.verify(request=request, user=user, code=form.cleaned_data["code"]):
                return redirect(next_url or "accounts:home")
            form.add_error("code", _("This code is not right. Try the newest code from the app, or a recovery code."))
        return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})
    device = two_factor.pending_app_device(user)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_app_device(request=request, user=user, code=form.cleaned_data["code"])
        if codes is not None:
            forget_rules(request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", _("This code is not right. Scan the QR code again and type the newest code."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "next": next_url, "qr": qr.svg_inline(scale=5, omitsize=True),
         "secret": _in_fours(base64.b32encode(device.bin_key).decode().rstrip("="))},
    )  # fmt: skip


def _in_fours(key: str) -> str:
    """WS65 4SKL MFEK…: easier to type, and it wraps on a phone."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
