"""The chat platforms the channels app speaks (LINE; Messenger beside it later), each registered from
the app's AppConfig.ready(). The shared parts (the staff inbox, chat checkout) reach a person through
the platform of their contact, never through a platform's own module.
"""

from __future__ import annotations

from typing import Protocol

from otop.channels.models import ChatContact
from otop.notifications.models import OutboundMessage
from otop.orders.models import Order


class ChatPlatform(Protocol):
    name: str  # ChatContact.platform

    def is_enabled(self) -> bool:
        """Whether the platform is configured; an unconfigured one sends nothing."""
        ...

    def send_text(self, *, contact: ChatContact, text: str, event: str) -> OutboundMessage | None:
        """Queue a text to the person (None when they cannot be reached: unfollowed, platform off)."""
        ...

    def order_placed(self, *, contact: ChatContact, order: Order) -> None:
        """Tell the person in the chat that their order was placed, with its payment QR."""
        ...

    def order_update(self, *, contact: ChatContact, order: Order, to_status: str, note: str) -> None:
        """Tell the person their order changed (`note`: the staff's words, e.g. a tracking number)."""
        ...

    def checkout_url(self, *, token: str) -> str:
        """The address that opens the chat checkout of this one-time token on this platform."""
        ...


_platforms: dict[str, ChatPlatform] = {}


def register_platform(platform: ChatPlatform) -> None:
    _platforms[platform.name] = platform


def platform_for(name: str) -> ChatPlatform:
    return _platforms[name]
