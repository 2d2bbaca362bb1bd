from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(status: int, code: str, message: str, fields: dict | None = None) -> HttpResponse:
    """An answer in the API's one error format, for answers made outside django-ninja."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


class ApiLanguageMiddleware:
    """Answer the API in the caller's language (Accept-Language), Thai when none is asked for.

    Pages carry their language in the URL (/... Thai, /en/... English); API clients cannot,
    so LocaleMiddleware's "unprefixed means Thai" rule is undone for /api/ here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class HeadAsGetMiddleware:
    """Answer HEAD exactly like GET without the body, on every page and API read.

    Views declare GET (require_GET, require_http_methods(["GET", "POST"])); HTTP says HEAD is the same
    request without the body, so monitors and link checkers get a 200 instead of a 405.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


# A path segment of more digits than a 64-bit id has names nothing (and overflows the database).
OVERSIZED_ID = re.compile(r"(?:^|/)[0-9]{19,}(?:/|$)")


class RejectBadAddressMiddleware:
    """Refuse a NUL character in the path or query string (400: PostgreSQL cannot compare with one), and
    answer 404 for a page id too large to exist, before any view hands it to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            if is_api(request):
                return api_error(400, "invalid", _("The request contains a character that is not allowed."))
            return HttpResponseBadRequest(_("The request contains a character that is not allowed."))
        if not is_api(request) and OVERSIZED_ID.search(request.path_info):
            raise Http404
        return self.get_response(request)


class ApiErrorMiddleware:
    """Keep every answer under /api/ in the JSON error format, whatever part of Django made it.

    django-ninja formats the errors it raises itself; this catches the rest: an unknown path (404),
    a method the operation does not take (405, with its Allow header), a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (413) and any server error (500).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            return _as_api_error(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return api_error(413, "too_large", _("The request is too large."))
        logger.error("API error on %s %s", request.method, request.path, exc_info=exception)
        return api_error(500, "server_error", _("Something went wrong on our side. Please try again later."))


def _as_api_error(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    if status == 404:
        replacement = api_error(404, "not_found", _("Not found."))
    elif status == 405:
        replacement = api_error(405, "method_not_allowed", _("This address does not take that method."))
    elif status == 413:
        replacement = api_error(413, "too_large", _("The request is too large."))
    elif status >= 500:
        replacement = api_error(status, "server_error", _("Something went wrong on our side. Please try again later."))
    else:
        replacement = api_error(status, "invalid", _("The request could not be read."))
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            replacement[header] = response[header]
    return replacement


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` (settings.PERMISSIONS_POLICY): browser features no page of ours uses stay off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
