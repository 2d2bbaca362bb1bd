"""The JSON API under /api/v1/: one NinjaAPI; each app contributes a router from its api.py.

Errors always have the shape {"error": {"code", "message", "fields"}} with the message in
the request's language (Accept-Language, default Thai).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from otop.core.errors import DomainError


class Utf8JSONRenderer(JSONRenderer):
    """Send Thai as UTF-8 text rather than \\u escapes (smaller, and readable in logs)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="OTOP Center API",
    version="1",
    description='JSON API of the OTOP Center. Errors: {"error": {"code", "message", "fields"}}.',
    urls_namespace="api-v1",
    docs_url="/docs",
    renderer=Utf8JSONRenderer(),
)


def error_response(
    request: HttpRequest, *, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path", "payload")]
        name = ".".join(location) or "__all__"
        fields.setdefault(name, []).append(_("This value is missing or not valid."))
    return fields


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        status=400,
        code="invalid",
        message=_("Some fields are missing or not valid."),
        fields=_field_errors(exc.errors),
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, status=401, code="not_authenticated", message=_("Please sign in first."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, status=403, code="forbidden", message=_("You are not allowed to do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code="not_found", message=_("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, status=exc.status_code, code="error", message=str(exc))


api.add_router("/", "otop.core.api.router")
api.add_router("/", "otop.geo.api.router")
api.add_router("/", "otop.accounts.api.router")
api.add_router("/", "otop.producers.api.router")
api.add_router("/", "otop.catalog.api.router")
api.add_router("/", "otop.storefront.products_api.router")
api.add_router("/", "otop.selection.api.router")
api.add_router("/", "otop.inventory.api.router")
api.add_router("/", "otop.orders.api.router")
api.add_router("/", "otop.payments.api.router")
api.add_router("/", "otop.pos.api.router")
api.add_router("/", "otop.workspace.api.router")
api.add_router("/", "otop.storefront.api.router")
