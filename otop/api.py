"""The JSON API under /api/v1/: one NinjaAPI; each app contributes a router from its api.py.

Errors always have the shape {"error": {"code", "message", "fields"}} with the message in
the request's language (Accept-Language, default Thai); core.middleware.ApiErrorMiddleware keeps
the answers Django makes outside django-ninja (unknown paths, 405, 413, 415, 500) in the same shape.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from otop.accounts.api_auth import anonymous
from otop.core.apitypes import ERROR_DESCRIPTIONS, ErrorOut
from otop.core.errors import DomainError, TooManyTries

logger = logging.getLogger("django.request")


class UnsupportedMediaType(ValueError):
    """A body sent as something other than JSON (a form post from another site, text/plain)."""


class StrictJsonParser(Parser):
    """Read JSON bodies, refusing other media types (cross-site forms and text/plain posts) and text that
    is not Unicode (lone UTF-16 surrogates). NUL characters are refused by the string fields themselves
    (core.apitypes.Text), so an ignored extra key may hold one."""

    def parse_body(self, request: HttpRequest) -> Any:
        content_type = (request.content_type or "").lower()
        if content_type != "application/json" and not (
            content_type.startswith("application/") and content_type.endswith("+json")
        ):
            raise UnsupportedMediaType(content_type)
        data = json.loads(request.body.decode("utf-8"))
        _check_text(data)
        return data


def _check_text(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class Utf8JSONRenderer(JSONRenderer):
    """Send Thai as UTF-8 text rather than \\u escapes (smaller, and readable in logs)."""

    json_dumps_params = {"ensure_ascii": False}


class OtopApi(NinjaAPI):
    """The NinjaAPI whose schema documents the error answers every operation can give."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components.setdefault("ErrorOut", error_schema)
        by_id = {
            operation["operationId"]: operation
            for operations in schema["paths"].values()
            for operation in operations.values()
        }
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                for view in path_view.operations:
                    operation = by_id.get(self.get_openapi_operation_id(view))
                    if operation is not None:
                        _document(operation, view)
        return schema


def _document(operation: dict, view: Any) -> None:
    """Add the error answers any operation of its kind can give, and mark anonymous access as allowed."""
    statuses = {400}
    if "{" in view.path:
        statuses.add(404)
    if set(view.methods) - {"GET"}:
        statuses.add(409)
    callbacks = view.auth_callbacks or []
    if anonymous in callbacks:
        operation.setdefault("security", []).append({})
    elif callbacks:
        statuses |= {401, 403}
    if "requestBody" in operation:
        statuses |= {413, 415}
    if view.throttle_objects:
        statuses.add(429)
    responses = operation.setdefault("responses", {})
    present = {int(status) for status in responses if str(status).isdigit()}
    for status in sorted(statuses - present):
        responses[status] = {"description": ""}
    for status, response in responses.items():
        if str(status).isdigit() and int(status) in ERROR_DESCRIPTIONS:
            response["description"] = ERROR_DESCRIPTIONS[int(status)]
            response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


api = OtopApi(
    title="OTOP Center API",
    version="1",
    description='JSON API of the OTOP Center. Errors: {"error": {"code", "message", "fields"}}.',
    urls_namespace="api-v1",
    docs_url="/docs",
    renderer=Utf8JSONRenderer(),
    parser=StrictJsonParser(),
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
    # The schema has already refused malformed input with a 400; a business rule that says no to a
    # well-formed request (an unknown SKU, an address that does not match its district) is a 409.
    status = 409 if exc.status == 400 else exc.status
    response = error_response(request, status=status, code=exc.code, message=exc.message, fields=exc.fields)
    if isinstance(exc, TooManyTries):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, status=401, code="not_authenticated", message=_("Please sign in first."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, status=403, code="forbidden", message=_("You are not allowed to do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code="not_found", message=_("Not found."))


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return error_response(
        request, status=429, code="throttled", message=_("Too many requests. Please wait a moment and try again.")
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in str(exc):
        return error_response(
            request,
            status=403,
            code="csrf_failed",
            message=_("Signed-in requests need the CSRF token (X-CSRFToken header), or use a bearer token."),
        )
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return error_response(
            request,
            status=415,
            code="unsupported_media_type",
            message=_("Send the body as JSON (Content-Type: application/json)."),
        )
    if exc.status_code == 400:
        return error_response(
            request,
            status=400,
            code="invalid_body",
            message=_("The body is not valid JSON, or contains characters that are not allowed."),
        )
    return error_response(request, status=exc.status_code, code="error", message=str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, status=413, code="too_large", message=_("The request is too large."))


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(
        request, status=500, code="server_error", message=_("Something went wrong on our side. Please try again later.")
    )


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
api.add_router("/", "otop.tax.api.router")
api.add_router("/", "otop.pos.api.router")
api.add_router("/", "otop.workspace.api.router")
api.add_router("/", "otop.shipping.api.router")
api.add_router("/", "otop.reports.api.router")
api.add_router("/", "otop.storefront.api.router")
