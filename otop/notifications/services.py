"""Tell people what happened. Each event's words live in one template pair:
notifications/<event>.subject.txt and notifications/<event>.body.txt, translated by gettext.

Messages are queued after the transaction commits and sent by the background worker. E-mail is
built in; `notify_person` also uses every channel registered in `channels.py` (LINE, from its app).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from otop.notifications.channels import Recipient, channel_named, register_channel, registered_channels
from otop.notifications.models import OutboundMessage


def render_message(*, event: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """Return (subject, body) of an event's message in a language."""
    with translation.override(language):
        subject = render_to_string(f"notifications/{event}.subject.txt", context).strip()
        body = render_to_string(f"notifications/{event}.body.txt", context).strip()
    return " ".join(subject.split()), body


def notify_by_email(*, event: str, email: str, language: str = "th", context: dict[str, Any]) -> OutboundMessage | None:
    """Queue an e-mail about an event; it is sent after the current transaction commits."""
    if not email:
        return None
    subject, body = render_message(event=event, language=language, context=context)
    message = OutboundMessage.objects.create(
        event=event,
        channel=OutboundMessage.Channel.EMAIL,
        recipient=email,
        language=language,
        subject=subject[:200],
        body=body,
    )
    transaction.on_commit(partial(_enqueue, message_id=message.pk))
    return message


class EmailChannel:
    name = OutboundMessage.Channel.EMAIL

    def queue(self, *, recipient: Recipient, event: str, context: dict[str, Any]) -> OutboundMessage | None:
        return notify_by_email(event=event, email=recipient.email, language=recipient.language, context=context)

    def send(self, message: OutboundMessage) -> None:
        send_mail(message.subject, message.body, None, [message.recipient])


register_channel(EmailChannel())


def notify_person(*, recipient: Recipient, event: str, context: dict[str, Any]) -> list[OutboundMessage]:
    """Queue the event's message to a person on every channel that can reach them; returns what was queued."""
    queued = [channel.queue(recipient=recipient, event=event, context=context) for channel in registered_channels()]
    return [message for message in queued if message is not None]


def _enqueue(*, message_id: int) -> None:
    from otop.notifications.tasks import send_outbound_message

    send_outbound_message.enqueue(message_id=message_id)


def deliver(*, message_id: int) -> OutboundMessage:
    """Send one queued message now; a message already sent is not sent again."""
    message = OutboundMessage.objects.get(pk=message_id)
    if message.status == OutboundMessage.Status.SENT:
        return message
    try:
        channel = channel_named(message.channel)
        if channel is None:
            raise LookupError(f"no channel {message.channel!r} is registered")
        channel.send(message)
    except Exception as error:  # noqa: BLE001 - the failure is recorded for staff to see
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.FAILED, error=str(error)[:2000]
        )
        raise
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.SENT, sent_at=timezone.now(), error=""
    )
    message.refresh_from_db()
    return message
