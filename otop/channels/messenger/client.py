"""The Send API of Meta's Graph API, spoken with the standard library (one JSON POST per message).

`FACEBOOK_GRAPH_API_BASE_URL` points tests at a fake Graph API on 127.0.0.1. A rate limit or Meta's
5xx is a TemporaryFailure (the notifications worker tries again with backoff); any other refusal is
MessengerRefused.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from otop.notifications.channels import TemporaryFailure

TIMEOUT_SECONDS = 10
# Graph API error codes that mean "too many calls, later" (application, user and page limits).
RATE_LIMIT_CODES = {4, 17, 32, 613}


class MessengerRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(f"{status}: {message}")
        self.status = status


@dataclass(frozen=True)
class MessengerConfig:
    app_secret: str
    verify_token: str
    page_access_token: str
    base_url: str
    version: str

    @property
    def is_enabled(self) -> bool:
        return bool(self.app_secret and self.verify_token and self.page_access_token)


def messenger_config() -> MessengerConfig:
    return MessengerConfig(
        app_secret=settings.FACEBOOK_APP_SECRET,
        verify_token=settings.FACEBOOK_VERIFY_TOKEN,
        page_access_token=settings.FACEBOOK_PAGE_ACCESS_TOKEN,
        base_url=settings.FACEBOOK_GRAPH_API_BASE_URL.rstrip("/"),
        version=settings.FACEBOOK_GRAPH_API_VERSION.strip("/"),
    )


def send_message(*, recipient_id: str, message: dict, messaging_type: str = "RESPONSE") -> dict:
    """POST /{version}/me/messages: one message to one person (their page-scoped id)."""
    config = messenger_config()
    if not config.is_enabled:
        raise MessengerRefused(0, "Messenger is not configured")
    url = f"{config.base_url}/{config.version}/me/messages?" + urlencode({"access_token": config.page_access_token})
    body = json.dumps(
        {"recipient": {"id": recipient_id}, "messaging_type": messaging_type, "message": message}, ensure_ascii=False
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - our configured host
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            detail = json.loads(raw).get("error", {})
        except ValueError:
            detail = {}
        text = str(detail.get("message") or raw[:200])
        if error.code >= 500 or error.code == 429 or detail.get("code") in RATE_LIMIT_CODES:
            retry_after = error.headers.get("Retry-After")
            raise TemporaryFailure(
                f"Graph API {error.code}: {text}",
                retry_after_seconds=float(retry_after) if retry_after and retry_after.isdigit() else None,
            ) from None
        raise MessengerRefused(error.code, text) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TemporaryFailure(f"Graph API unreachable: {error}") from None
