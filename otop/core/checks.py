"""System checks about how the center is reached (shown by `manage.py check --deploy`)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def is_loopback_url(url: str) -> bool:
    """True when the address only works on this machine (localhost, 127.x, ::1): a phone cannot open it."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False) or not is_loopback_url(settings.SITE_URL):
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL}, an address only this machine can open.",
            hint="Set SITE_URL to the public address (https://…): printed shelf-label QR codes, e-mails and LINE "
            "messages carry it.",
            id="otop.W001",
        )
    ]
