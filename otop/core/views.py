from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from otop.core.uploads import protect, safe_content_type

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
