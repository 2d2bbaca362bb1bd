from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
