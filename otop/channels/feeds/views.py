"""Public addresses of the feeds and the pictures they point to (outside the language prefixes).

- `/feeds/<name>` (meta.csv, meta.xml, meta-en.csv, google.xml): the last built file, streamed from the
  storage, with `ETag` / `Last-Modified` (304 when unchanged). Out of date → a rebuild is queued and the
  previous file is served meanwhile; never built → built now.
- `/feeds/images/<code>/<index>/<version>.jpg`: a product's square picture (photo `index`, or drawn when
  it has none), drawn once and kept.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET

from otop.catalog.models import Product, ProductPhoto
from otop.channels.feeds import images
from otop.channels.feeds.build import FEEDS, catalogue_fingerprint, feed_build, refresh_feeds
from otop.channels.feeds.rows import image_version
from otop.channels.feeds.tasks import QUEUED_KEY, rebuild_feeds
from otop.core.selectors import center_profile


def _not_modified(request: HttpRequest, etag: str, last_modified: float) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(last_modified) <= since


def _validators(response: HttpResponse, etag: str, last_modified: float, max_age: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_GET
def feed(request: HttpRequest, name: str) -> HttpResponse:
    if name not in FEEDS:
        raise Http404
    build = feed_build(name)
    if build is None:
        refresh_feeds()
    elif build.fingerprint != catalogue_fingerprint() and cache.add(QUEUED_KEY, 1, 60):
        rebuild_feeds.enqueue()
    build = feed_build(name)
    if build is None:  # another request is building the first one
        response = HttpResponse(status=503)
        response["Retry-After"] = "30"
        return response
    etag = f'"{build.fingerprint}"'
    last_modified = build.built_at.timestamp()
    if _not_modified(request, etag, last_modified):
        return _validators(HttpResponseNotModified(), etag, last_modified, 300)
    response = FileResponse(default_storage.open(build.name, "rb"), content_type=FEEDS[name])
    response["Content-Length"] = str(build.size)
    response["X-Content-Type-Options"] = "nosniff"
    return _validators(response, etag, last_modified, 300)


def jpeg_response(request: HttpRequest, name: str, version: str) -> HttpResponse:
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def feed_image(request: HttpRequest, code: str, index: int, version: str) -> HttpResponse:
    """A product's square picture; the version in the address only makes a changed picture a new address."""
    product = Product.objects.filter(code=code, status=Product.Status.LISTED).select_related("producer").first()
    if product is None:
        raise Http404
    photos = list(ProductPhoto.objects.filter(product=product).order_by("sort_order", "id"))
    if index >= max(1, len(photos)):
        raise Http404
    photo = photos[index] if photos else None
    current = image_version(photo.pk if photo else None, product.updated_at)
    name = f"feeds/images/{product.code}-{index}-{current}.jpg"
    if photo is not None:
        images.stored_image(name, lambda: images.square_photo(photo.image))
    else:
        images.stored_image(
            name,
            lambda: images.drawn_square(
                name=product.name_th, producer=product.producer.name_th, center=center_profile().name_th
            ),
        )
    return jpeg_response(request, name, current)
