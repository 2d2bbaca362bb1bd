"""How long personal data is kept, as data: each app registers what it can forget on a clock.

An app registers, from its AppConfig.ready(), a `RetentionTarget`: a key, a label, the default keeping
time, `count(cutoff)` (how many records older than the cutoff still hold personal data: the dry run) and
`forget(cutoff)` (anonymise or delete them; returns how many). The privacy app keeps the rules (how long,
report only or apply) and runs them daily; core only knows the targets.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DAYS, MONTHS, YEARS = "days", "months", "years"


@dataclass(frozen=True)
class RetentionTarget:
    key: str
    label: str | Promise
    keep_for: int
    unit: str
    count: Callable[[datetime], int]
    forget: Callable[[datetime], int]


_targets: dict[str, RetentionTarget] = {}


def register_retention_target(target: RetentionTarget) -> None:
    if target.unit not in (DAYS, MONTHS, YEARS):
        raise ValueError(f"unknown unit {target.unit!r}")
    _targets[target.key] = target


def retention_targets() -> list[RetentionTarget]:
    return [_targets[key] for key in sorted(_targets)]


def retention_target(key: str) -> RetentionTarget | None:
    return _targets.get(key)


# --- Server logs: files an operator writes into LOG_DIR (gunicorn's access log, rotated files). ---------------


def _old_log_files(cutoff: datetime) -> list[Path]:
    directory = Path(settings.LOG_DIR)
    if not directory.is_dir():
        return []
    limit = cutoff.timestamp()
    return [path for path in directory.rglob("*") if path.is_file() and path.stat().st_mtime < limit]


def count_old_log_files(cutoff: datetime) -> int:
    return len(_old_log_files(cutoff))


def delete_old_log_files(cutoff: datetime) -> int:
    deleted = 0
    for path in _old_log_files(cutoff):
        try:
            os.remove(path)
        except FileNotFoundError:  # rotated away meanwhile
            continue
        deleted += 1
    return deleted


register_retention_target(
    RetentionTarget(
        key="server_logs",
        label=_("Server log files (client addresses, pages asked for)"),
        keep_for=90,
        unit=DAYS,
        count=count_old_log_files,
        forget=delete_old_log_files,
    )
)
