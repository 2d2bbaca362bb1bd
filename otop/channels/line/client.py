"""The LINE Messaging API through LINE's own SDK (line-bot-sdk v3), with its hosts taken from settings.

The small adapter the rest of the app uses: reply, push (with X-Line-Retry-Key), a user's profile, a
message's content (photos), and the rich menu calls. LINE's answers become our errors: 429, 5xx and
no answer are `TemporaryFailure` (the worker tries again); a 409 to a push with a retry key means LINE
had already accepted that very push, so it counts as sent; an invalid reply token is
`ReplyTokenInvalid` (the caller pushes instead); any other refusal is `LineRefused`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import urllib3
from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)

from otop.notifications.channels import TemporaryFailure

# (connect, read) seconds: a worker never waits long on LINE; a slow answer is retried later.
TIMEOUT = (3.0, 10.0)


@dataclass(frozen=True)
class LineConfig:
    channel_secret: str
    access_token: str
    api_base_url: str
    data_api_base_url: str
    liff_id: str

    @property
    def is_enabled(self) -> bool:
        return bool(self.channel_secret and self.access_token)


def line_config() -> LineConfig:
    """The channel's settings as they are now (read on every call, never at import)."""
    return LineConfig(
        channel_secret=settings.LINE_CHANNEL_SECRET,
        access_token=settings.LINE_CHANNEL_ACCESS_TOKEN,
        api_base_url=settings.LINE_API_BASE_URL.rstrip("/"),
        data_api_base_url=settings.LINE_DATA_API_BASE_URL.rstrip("/"),
        liff_id=settings.LINE_LIFF_ID,
    )


class LineNotConfigured(Exception):
    """LINE is off (no channel secret or access token): nothing is sent."""


class LineRefused(Exception):
    """LINE refused the request for good (a 4xx other than 429): retrying would not help."""

    def __init__(self, status: int, body: str):
        super().__init__(f"LINE answered {status}: {body[:500]}")
        self.status = status
        self.body = body


class ReplyTokenInvalid(LineRefused):
    """The reply token was used already or has expired: the answer must be pushed instead."""


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str
    language: str


def _body_text(error: ApiException) -> str:
    body = error.body
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return str(body or "")


def _retry_after(error: ApiException) -> float | None:
    headers = error.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


class LineClient:
    """One channel's API clients (the SDK's connection pools are kept and shared between threads)."""

    def __init__(self, config: LineConfig):
        if not config.is_enabled:
            raise LineNotConfigured("LINE is not configured (LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN)")
        self.config = config
        self._api = MessagingApi(ApiClient(self._configuration(config.api_base_url)))
        self._blob = MessagingApiBlob(ApiClient(self._configuration(config.data_api_base_url)))

    def _configuration(self, host: str) -> Configuration:
        configuration = Configuration(host=host, access_token=self.config.access_token)
        # No silent retries inside urllib3: the worker decides, with the retry key.
        configuration.retries = urllib3.Retry(total=0, redirect=0)
        return configuration

    def _call(self, function, *args: Any, accepted_if_conflict: bool = False, **kwargs: Any) -> Any:
        try:
            return function(*args, _request_timeout=TIMEOUT, **kwargs)
        except ApiException as error:
            status = int(error.status or 0)
            body = _body_text(error)
            if status == 409 and accepted_if_conflict:
                return None  # the same retry key was accepted before: the message went out once
            if status == 429 or status >= 500:
                raise TemporaryFailure(
                    f"LINE answered {status}: {body[:300]}", retry_after_seconds=_retry_after(error)
                ) from None
            if status == 400 and "reply token" in body.lower():
                raise ReplyTokenInvalid(status, body) from None
            raise LineRefused(status, body) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise TemporaryFailure(f"no answer from LINE: {error}") from None

    # --- messages ---------------------------------------------------------------------------

    # Replies and pushes go through the SDK's ApiClient (its host, bearer token, connection pool and
    # errors) with the message objects as the JSON LINE documents, not through its pydantic models:
    # building and serialising those took ~50 ms for one 12-bubble carousel, most of a search answer.
    def _post_json(self, path: str, body: dict, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._call(
            self._api.api_client.call_api,
            path,
            "POST",
            {},
            [],
            {"Accept": "application/json", "Content-Type": "application/json", **(headers or {})},
            body=body,
            post_params=[],
            files={},
            response_types_map={},
            auth_settings=["Bearer"],
            _return_http_data_only=True,
            _host=self.config.api_base_url,
            collection_formats={},
            **kwargs,
        )

    def reply(self, *, reply_token: str, messages: list[dict]) -> None:
        self._post_json("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})

    def push(self, *, to: str, messages: list[dict], retry_key: str) -> None:
        self._post_json(
            "/v2/bot/message/push",
            {"to": to, "messages": messages},
            {"X-Line-Retry-Key": retry_key},
            accepted_if_conflict=True,
        )

    def profile(self, *, user_id: str) -> Profile:
        found = self._call(self._api.get_profile, user_id)
        return Profile(user_id=user_id, display_name=found.display_name or "", language=found.language or "")

    def message_content(self, *, message_id: str) -> bytes:
        return bytes(self._call(self._blob.get_message_content, message_id))

    # --- rich menu ----------------------------------------------------------------------------

    def validate_rich_menu(self, layout: dict) -> None:
        self._call(self._api.validate_rich_menu_object, RichMenuRequest.from_dict(layout))

    def create_rich_menu(self, layout: dict) -> str:
        return self._call(self._api.create_rich_menu, RichMenuRequest.from_dict(layout)).rich_menu_id

    def upload_rich_menu_image(self, *, rich_menu_id: str, png: bytes) -> None:
        self._call(self._blob.set_rich_menu_image, rich_menu_id, png, _headers={"Content-Type": "image/png"})

    def set_default_rich_menu(self, *, rich_menu_id: str) -> None:
        self._call(self._api.set_default_rich_menu, rich_menu_id)

    def rich_menus(self) -> list[tuple[str, str]]:
        """(id, name) of every rich menu of the channel."""
        found = self._call(self._api.get_rich_menu_list)
        return [(menu.rich_menu_id, menu.name) for menu in found.richmenus or []]

    def delete_rich_menu(self, *, rich_menu_id: str) -> None:
        self._call(self._api.delete_rich_menu, rich_menu_id)


_clients: dict[LineConfig, LineClient] = {}
_clients_lock = threading.Lock()


def line_client() -> LineClient:
    """The client for the current settings (LineNotConfigured when LINE is off)."""
    config = line_config()
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            client = _clients[config] = LineClient(config)
        return client


def as_json(messages: list[dict]) -> str:
    return json.dumps(messages, ensure_ascii=False)
