from __future__ import annotations

from django.http import HttpRequest

from otop.core.selectors import center_profile


def center(request: HttpRequest) -> dict:
    """Put the center's profile on every page (the footer shows its hours and channels)."""
    return {"center": center_profile()}
