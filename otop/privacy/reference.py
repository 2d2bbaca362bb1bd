"""The first version of the privacy notice: reference data (see otop/core/reference.py). The manager
publishes later versions from /privacy/notices/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

HERE = Path(__file__).resolve().parent


def ensure_reference_data(apps: Any) -> None:
    Notice = apps.get_model("privacy", "Notice")  # noqa: N806
    if Notice.objects.exists():
        return
    Notice.objects.create(
        version=1,
        body_th=(HERE / "notice_th.txt").read_text(encoding="utf-8").strip(),
        body_en=(HERE / "notice_en.txt").read_text(encoding="utf-8").strip(),
        published_at=timezone.now(),
    )
