"""Jobs that run on a clock: each app lists its own in otop/<app>/schedule.py as JOBS.

`manage.py run_periodic` (started by `make run` beside the task worker) runs every job when it
starts and then whenever its interval has passed. A job must be safe to run twice or late: each
one here does only what is due and records what it did.

Several clocks may run (one per app server): when a job last started is kept in the database
(`PeriodicJob`), and a clock runs a job only while it holds that job's lock — an advisory lock on
PostgreSQL (released by the server if the clock dies), a lease on the job's row on SQLite — and
only when the interval has passed since any clock last started it. So a job runs once per interval
however many clocks there are.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from otop.core.models import PeriodicJob

# A SQLite lease outlives any job's run; a clock that died holding one blocks the job this long at most.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]


def all_jobs() -> list[Job]:
    from otop.core.discovery import feature_modules

    return [job for module in feature_modules("schedule") for job in getattr(module, "JOBS", [])]


def due(jobs: Iterable[Job], last_run: dict[str, datetime], now: datetime) -> list[Job]:
    """The jobs never run, or last run at least their interval ago."""
    return [job for job in jobs if job.name not in last_run or now - last_run[job.name] >= job.every]


def clock_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"otop.periodic:{name}".encode()).digest()[:8], "big", signed=True)


def _ensure_row(name: str) -> None:
    if not PeriodicJob.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                PeriodicJob.objects.create(name=name)
        except IntegrityError:  # another clock created it first
            pass


@contextmanager
def job_lock(name: str, *, owner: str, now: datetime | None = None) -> Iterator[bool]:
    """Hold the job's lock for the block if no other clock holds it; yield whether this clock got it."""
    _ensure_row(name)
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    now = now or timezone.now()
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    got = PeriodicJob.objects.filter(free, name=name).update(locked_until=now + LEASE, locked_by=owner) == 1
    try:
        yield got
    finally:
        if got:
            PeriodicJob.objects.filter(name=name, locked_by=owner).update(locked_until=None, locked_by="")


def start_if_due(job: Job, *, owner: str, now: datetime, every: timedelta | None = None) -> bool:
    """Record that `owner` starts the job now if its interval passed since any clock started it.

    Caller must hold the job's lock; the UPDATE is conditional as well, so the answer is right even so."""
    interval = every or job.every
    never_or_long_ago = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - interval)
    started = PeriodicJob.objects.filter(never_or_long_ago, name=job.name).update(
        last_started_at=now, last_ran_by=owner, run_count=F("run_count") + 1
    )
    return started == 1


def record_finish(job: Job, *, failed: bool, now: datetime | None = None) -> None:
    changes: dict = {"last_finished_at": now or timezone.now()}
    if failed:
        changes["failure_count"] = F("failure_count") + 1
    PeriodicJob.objects.filter(name=job.name).update(**changes)
