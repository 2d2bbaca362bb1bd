"""Building the feed files: one pass over the catalogue writes all four into the default storage.

A build remembers the catalogue's fingerprint (products, producers, photos, stock moves, reservations,
the parcel rate, the carriers' rates, the site's address); when the fingerprint changes the feeds are built
again — by the periodic job (`channels/schedule.py`, every minute), by `manage.py build_feeds`, or by a task queued when
a feed is asked for and is out of date (the previous file is served meanwhile).
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Q
from django.utils import timezone

from otop.catalog.models import Product, ProductPhoto
from otop.channels.feeds.formats import GoogleXml, MetaCsv, MetaEnglishCsv, MetaXml
from otop.channels.feeds.rows import feed_rows
from otop.channels.models import FeedBuild
from otop.core.selectors import center_profile
from otop.inventory.models import Reservation, StockMove
from otop.orders.services import shop_settings
from otop.producers.models import Producer
from otop.shipping.rates import item_rates, rates_fingerprint

logger = logging.getLogger(__name__)

# name in the URL → (stored file stem, content type)
FEEDS = {
    "meta.csv": "text/csv; charset=utf-8",
    "meta.xml": "application/xml; charset=utf-8",
    "meta-en.csv": "text/csv; charset=utf-8",
    "google.xml": "application/xml; charset=utf-8",
}
BUILD_LOCK = "channels:feeds:building"
BUILD_LOCK_SECONDS = 15 * 60


def catalogue_fingerprint() -> str:
    """A hash of what the feeds show: it changes whenever a product, price, photo, producer or stock changes."""
    products = Product.objects.order_by().aggregate(
        latest=Max("updated_at"), listed=Count("id", filter=Q(status=Product.Status.LISTED))
    )
    producers = Producer.objects.order_by().aggregate(latest=Max("updated_at"))
    photos = ProductPhoto.objects.order_by().aggregate(last=Max("id"), count=Count("id"))
    moves = StockMove.objects.order_by().aggregate(last=Max("id"))
    reservations = Reservation.objects.order_by().aggregate(
        last=Max("id"), open=Count("id", filter=Q(status=Reservation.Status.ACTIVE)), closed=Max("closed_at")
    )
    parts = [
        products["latest"],
        products["listed"],
        producers["latest"],
        photos["last"],
        photos["count"],
        moves["last"],
        reservations["last"],
        reservations["open"],
        reservations["closed"],
        shop_settings().parcel_rate,
        rates_fingerprint(),
        settings.SITE_URL,
    ]
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _stored_name(kind: str, fingerprint: str) -> str:
    stem, extension = kind.rsplit(".", 1)
    return f"feeds/{stem}-{fingerprint[:16]}.{extension}"


def build_feeds(*, now: datetime | None = None) -> list[FeedBuild]:
    """Write the four feeds from the current catalogue and stock; returns their builds."""
    now = now or timezone.now()
    fingerprint = catalogue_fingerprint()
    profile = center_profile()
    channel = {
        "title": profile.name_th,
        "link": settings.SITE_URL.rstrip("/") + "/",
        "description": f"{profile.name_th} — {profile.name_en}",
    }
    files = {kind: tempfile.TemporaryFile() for kind in FEEDS}
    texts = {kind: io.TextIOWrapper(raw, encoding="utf-8", newline="") for kind, raw in files.items()}
    writers = [
        MetaCsv(texts["meta.csv"]),
        MetaXml(texts["meta.xml"], **channel),
        MetaEnglishCsv(texts["meta-en.csv"]),
        GoogleXml(texts["google.xml"], parcel_rate=shop_settings().parcel_rate, rates=item_rates(), **channel),
    ]
    rows = 0
    try:
        for row in feed_rows():
            for writer in writers:
                writer.write(row)
            rows += 1
        for writer in writers:
            writer.close()
        builds = []
        for kind, text in texts.items():
            text.flush()
            raw = files[kind]
            size = raw.tell()
            raw.seek(0)
            name = default_storage.save(_stored_name(kind, fingerprint), File(raw))
            previous = FeedBuild.objects.filter(kind=kind).values_list("name", flat=True).first()
            build, _created = FeedBuild.objects.update_or_create(
                kind=kind,
                defaults={"name": name, "fingerprint": fingerprint, "built_at": now, "rows": rows, "size": size},
            )
            if previous and previous != name:
                default_storage.delete(previous)
            builds.append(build)
        return builds
    finally:
        for text in texts.values():
            text.close()


def refresh_feeds() -> bool:
    """Build the feeds again if the catalogue changed since the last build (one builder at a time)."""
    fingerprint = catalogue_fingerprint()
    if not FeedBuild.objects.exclude(fingerprint=fingerprint).exists() and FeedBuild.objects.count() == len(FEEDS):
        return False
    if not cache.add(BUILD_LOCK, 1, BUILD_LOCK_SECONDS):
        return False
    try:
        build_feeds()
    finally:
        cache.delete(BUILD_LOCK)
    return True


def feed_build(kind: str) -> FeedBuild | None:
    return FeedBuild.objects.filter(kind=kind).first()
