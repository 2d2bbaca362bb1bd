from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from otop.accounts.forms import SignInForm
from otop.accounts.roles import ROLE_LABELS
from otop.accounts.selectors import areas_for, roles_of


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
