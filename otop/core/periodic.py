"""Jobs that run on a clock: each app lists its own in otop/<app>/schedule.py as JOBS.

`manage.py run_periodic` (started by `make run` beside the task worker) runs every job when it
starts and then whenever its interval has passed. A job must be safe to run twice or late: each
one here does only what is due and records what it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


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
