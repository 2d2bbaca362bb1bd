"""Sign-in rules that hold on every request: the second factor before anything else, and back-office
sessions that end after idle time."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from otop.accounts import two_factor

LAST_SEEN = "otop_last_seen"
# What the account needs, worked out once per session (no queries on later requests).
RULES = "otop_sign_in_rules"


def forget_rules(request: HttpRequest) -> None:
    """Work the rules out again on the next request (after a second factor is turned on or off)."""
    request.session.pop(RULES, None)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: an account that must give a second factor reaches only the
    second-factor pages, sign-out and static files until it has given one in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        rules = request.session.get(RULES)
        if not isinstance(rules, dict) or rules.get("user") != user.pk:
            rules = {
                "user": user.pk,
                "second_factor": two_factor.required_for(user),
                "idle": user.is_superuser or user.groups.filter(name__in=settings.TWO_FACTOR_ROLES).exists(),
            }
            request.session[RULES] = rules
        if rules["idle"] and self._idle_too_long(request):
            logout(request)
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        if rules["second_factor"] and not user.is_verified() and not self._exempt(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"code": "second_factor", "message": _("Sign in with your second factor first."),
                               "fields": {}}},
                    status=403,
                )  # fmt: skip
            return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path
        return path in (reverse("accounts:two-factor"), reverse("accounts:logout")) or path.startswith(
            (settings.STATIC_URL, "/healthz")
        )

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        """Staff sessions end after STAFF_IDLE_MINUTES without a request (a shared counter computer).
        The time is written at most once a minute, so a busy page does not save the session each time."""
        now = int(time.time())
        last = request.session.get(LAST_SEEN)
        if isinstance(last, int) and now - last > settings.STAFF_IDLE_MINUTES * 60:
            return True
        if not isinstance(last, int) or now - last >= 60:
            request.session[LAST_SEEN] = now
        return False
