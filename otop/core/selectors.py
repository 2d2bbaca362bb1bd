"""Reads about the center: its profile and its opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.cache import cache

from otop.core.models import AuditEvent, CenterProfile, OpeningException

PROFILE_CACHE_KEY = "core:center-profile"
# Per-process caches go stale on other app servers; a minute is the longest a change can lag.
PROFILE_CACHE_SECONDS = 60


def center_profile() -> CenterProfile:
    """Return the center's profile (cached; the service that edits it clears the cache)."""
    profile = cache.get(PROFILE_CACHE_KEY)
    if profile is None:
        profile = CenterProfile.objects.select_related("province").get(pk=CenterProfile.SINGLETON_ID)
        cache.set(PROFILE_CACHE_KEY, profile, PROFILE_CACHE_SECONDS)
    return profile


@dataclass(frozen=True)
class OpeningHours:
    day: date
    opens_at: time
    closes_at: time


def opening_hours_on(day: date) -> OpeningHours | None:
    """Return the hours the center is open on a day, or None when it is closed."""
    profile = center_profile()
    exception = OpeningException.objects.filter(day=day).first()
    if exception is None:
        return OpeningHours(day=day, opens_at=profile.opens_at, closes_at=profile.closes_at)
    if exception.is_closed:
        return None
    return OpeningHours(day=day, opens_at=exception.opens_at, closes_at=exception.closes_at)


def upcoming_opening_exceptions(*, today: date, limit: int = 5) -> list[OpeningException]:
    return list(OpeningException.objects.filter(day__gte=today).order_by("day")[:limit])


def audit_trail(*, target_type: str, target_id: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).select_related("actor"))
