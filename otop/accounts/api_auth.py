"""How API callers sign in: our own pages by session (CSRF on unsafe methods), integrations by bearer token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from otop.accounts.services import user_for_api_key


class SessionAuth(APIKeyCookie):
    """Our own pages: the Django session cookie, with CSRF checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None


class TokenAuth(HttpBearer):
    """Integrations: `Authorization: Bearer otop_…` issued by `manage.py issue_api_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


signed_in = [SessionAuth(), TokenAuth()]


def require_permission(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied (403 in the error format) unless the caller has a permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
