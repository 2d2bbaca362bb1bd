"""Reads: the notice in force, a person's live consents, the requests waiting for staff."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from otop.privacy.models import ConsentRecord, DataRequest, Notice


def current_notice() -> Notice | None:
    return Notice.objects.order_by("-version").first()


def all_notices() -> QuerySet[Notice]:
    return Notice.objects.select_related("published_by").order_by("-version")


def notice_version(version: int) -> Notice | None:
    return Notice.objects.filter(version=version).first()


def reconsent_version() -> int:
    """The newest notice version that asked for consent again (0 when none did)."""
    return Notice.objects.filter(asks_consent_again=True).aggregate(v=Max("version"))["v"] or 0


def latest_decisions(*, subjects: list[str]) -> dict[str, ConsentRecord]:
    """The newest record per purpose among these subjects (a person may have several)."""
    latest: dict[str, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(subject__in=subjects).order_by("-at", "-pk"):
        latest.setdefault(record.purpose, record)
    return latest


def live_consents(*, subjects: list[str]) -> dict[str, bool]:
    """Purpose → whether a consent is live: the latest decision gives it, under a notice version no later
    version asked to confirm again."""
    required = reconsent_version()
    decisions = latest_decisions(subjects=subjects)
    return {
        purpose: bool(record := decisions.get(purpose)) and record.granted and (record.notice_version or 0) >= required
        for purpose in ConsentRecord.Purpose.values
    }


def open_requests() -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(status=DataRequest.Status.OPEN).select_related("user").order_by("due_at", "pk")


def recent_closed_requests() -> QuerySet[DataRequest]:
    return (
        DataRequest.objects.exclude(status=DataRequest.Status.OPEN)
        .select_related("user", "closed_by")
        .order_by("-closed_at")[:50]
    )


def requests_of(user) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(user=user).order_by("-requested_at")
