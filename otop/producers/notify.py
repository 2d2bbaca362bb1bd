"""Tell a producer (or the center's staff) about an event, on every channel the producer can be reached by.

The words of each event live in one template pair, notifications/<event>.subject.txt / .body.txt
(in otop/selection/templates or otop/producers/templates). The channels are the notifications app's:
e-mail, and any other an app registers there (otop.notifications.channels).
"""

from __future__ import annotations

from typing import Any

from otop.core.selectors import center_profile
from otop.notifications.channels import Recipient
from otop.notifications.models import OutboundMessage
from otop.notifications.services import notify_by_email, notify_person
from otop.producers.models import Producer


def producer(*, producer: Producer, event: str, context: dict[str, Any]) -> list[OutboundMessage]:
    """Queue the event's message to the producer on each channel; returns what was queued."""
    recipient = Recipient(
        user=producer.user,
        email=producer.email or (producer.user.email if producer.user_id else ""),
        language=producer.user.preferred_language if producer.user_id else "th",
    )
    return notify_person(recipient=recipient, event=event, context={"producer_name": producer.name_th, **context})


def staff(*, event: str, context: dict[str, Any]) -> Any:
    """Queue the event's message to the center's own address (its profile's e-mail)."""
    return notify_by_email(event=event, email=center_profile().email, language="th", context=context)
