"""How API callers sign in: our own pages by session (CSRF on unsafe methods), integrations by bearer token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from otop.accounts.services import user_for_api_key


class SessionAuth(APIKeyCookie):
    """Our own pages: the Django session cookie, with CSRF checked on unsafe methods.

    Only a signed-in session is checked for CSRF: a request without one falls through to the
    next authenticator (or is anonymous), so a bearer token never meets a CSRF check.
    """

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key and request.user.is_authenticated:
            return request.user
        return None


class TokenAuth(HttpBearer):
    """Integrations: `Authorization: Bearer otop_…` issued by `manage.py issue_api_token`.

    Tokens are tried first: a request that carries one is not a browser's ambient credential, so it
    needs no CSRF token even when the client also holds a session cookie.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
            request.auth_by_token = True
        return user


class AnonymousCaller:
    """The caller of an operation open to everyone, when it brought neither a token nor a session."""

    def __bool__(self) -> bool:
        return True


def anonymous(request: HttpRequest) -> AnonymousCaller:
    return AnonymousCaller()


signed_in = [TokenAuth(), SessionAuth()]
# Open to everyone; a token or a signed-in session (with its CSRF token) still identifies the caller.
anyone = [TokenAuth(), SessionAuth(), anonymous]


def require_permission(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied (403 in the error format) unless the caller has a permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
