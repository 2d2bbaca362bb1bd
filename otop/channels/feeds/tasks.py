from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from otop.channels.feeds.build import refresh_feeds

QUEUED_KEY = "channels:feeds:queued"


@task()
def rebuild_feeds() -> bool:
    """Build the catalogue feeds again if the catalogue or stock changed (queued by a feed request)."""
    try:
        return refresh_feeds()
    finally:
        cache.delete(QUEUED_KEY)
