"""The ways a message reaches a person: e-mail here, and any channel another app adds (LINE) at start-up.

An app that can reach people another way registers a `Channel` from its AppConfig.ready(); every
`notify_person` then queues the event's message on it too, and `deliver` hands such messages back to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from otop.accounts.models import User
from otop.notifications.models import OutboundMessage


@dataclass(frozen=True)
class Recipient:
    """Whom to tell: their account (a channel may find its own address from it) and e-mail address."""

    user: User | None
    email: str = ""
    language: str = "th"


class Channel(Protocol):
    name: str  # the OutboundMessage.channel its messages carry

    def queue(self, *, recipient: Recipient, event: str, context: dict[str, Any]) -> OutboundMessage | None:
        """Record the message for this recipient (None when it cannot reach them) and queue its sending."""
        ...

    def send(self, message: OutboundMessage) -> None:
        """Send one recorded message now; raise TemporaryFailure to be tried again later, anything
        else when the provider refuses it for good."""
        ...


class TemporaryFailure(Exception):
    """The provider could not take the message now (rate limit, its own error, no answer): try again.

    `retry_after_seconds` is the provider's own wait when it named one (HTTP Retry-After).
    """

    def __init__(self, message: str, *, retry_after_seconds: float | None = None):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


_channels: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    """Add a channel (or replace the one of the same name)."""
    _channels[channel.name] = channel


def registered_channels() -> list[Channel]:
    return list(_channels.values())


def channel_named(name: str) -> Channel | None:
    return _channels.get(name)
