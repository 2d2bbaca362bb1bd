from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from otop.accounts.forms import ResetByEmailForm, SignInForm
from otop.accounts.roles import ROLE_LABELS
from otop.accounts.selectors import areas_for, roles_of
from otop.core.throttle import throttle


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
