from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from otop.core.uploads import protect, safe_content_type

logger = logging.getLogger(__name__)


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _storage_answers() -> None:
    # A question about a file that is never there: a round trip to the disk or the bucket, nothing written.
    default_storage.exists("healthz/probe")


HEALTH_CHECKS = {"database": _database_answers, "cache": _cache_answers, "storage": _storage_answers}


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database, the cache and the media storage answer; 503 naming
    each that does not."""
    answer: dict[str, str] = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure of a dependency means "not healthy"
            logger.exception("health check: %s unreachable", name)
            answer[name] = "unreachable"
        else:
            answer[name] = "ok"
    healthy = all(state == "ok" for state in answer.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **answer}, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A bilingual page that needs no database: the error may be the database itself."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)


@require_GET
def public_media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded public photo (one machine, SERVE_MEDIA): images only, in their own type, inert.

    A file of any other kind under MEDIA_ROOT is not served at all, so an HTML, SVG or script file that
    reached the disk by any route can never run from our origin. Proxies and object storage that serve
    /media/ instead must send the same headers (docs/architecture.md).
    """
    content_type = safe_content_type(path)
    if content_type is None or not content_type.startswith("image/"):
        raise Http404
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception:  # noqa: BLE001 - SuspiciousFileOperation and ValueError: a path outside MEDIA_ROOT
        raise Http404 from None
    if not full_path.is_file():
        raise Http404
    response = FileResponse(full_path.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return protect(response, content_type=content_type)
