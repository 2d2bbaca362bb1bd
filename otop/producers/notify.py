"""Tell a producer (or the center's staff) about an event, on every channel the producer has.

The words of each event live in one template pair, notifications/<event>.subject.txt / .body.txt
(in otop/selection/templates or otop/producers/templates). E-mail is the only channel today; the
Channels issue adds LINE by appending a sender to CHANNELS, with no change to the callers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otop.notifications.services import notify_by_email
from otop.producers.models import Producer


def _email(*, producer: Producer, event: str, language: str, context: dict[str, Any]) -> Any:
    address = producer.email or (producer.user.email if producer.user_id else "")
    return notify_by_email(event=event, email=address, language=language, context=context)


CHANNELS: list[Callable[..., Any]] = [_email]


def producer(*, producer: Producer, event: str, context: dict[str, Any]) -> list[Any]:
    """Queue the event's message to the producer on each channel; returns what was queued."""
    language = producer.user.preferred_language if producer.user_id else "th"
    context = {"producer_name": producer.name_th, **context}
    queued = [send(producer=producer, event=event, language=language, context=context) for send in CHANNELS]
    return [message for message in queued if message is not None]


def staff(*, event: str, context: dict[str, Any]) -> Any:
    """Queue the event's message to the center's own address (its profile's e-mail)."""
    from otop.core.selectors import center_profile

    return notify_by_email(event=event, email=center_profile().email, language="th", context=context)
