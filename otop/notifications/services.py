"""Tell people what happened. Each event's words live in one template pair:
notifications/<event>.subject.txt and notifications/<event>.body.txt, translated by gettext.

Messages are queued after the transaction commits and sent by the background worker. E-mail is
built in; `notify_person` also uses every channel registered in `channels.py` (LINE, from its app).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from otop.core import consent
from otop.notifications.channels import (
    Recipient,
    TemporaryFailure,
    channel_named,
    register_channel,
    registered_channels,
)
from otop.notifications.models import OutboundMessage

logger = logging.getLogger(__name__)


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


def notify_marketing(*, recipient: Recipient, event: str, context: dict[str, Any]) -> list[OutboundMessage]:
    """Queue a marketing message (news, promotions) only on the channels where the person consented to
    marketing: e-mail under `marketing_email`, chats under `marketing_chat` (core.consent). Every message
    carries `stop_url`, the link that withdraws that consent in one step."""
    user_id = recipient.user.pk if recipient.user is not None else None
    queued: list[OutboundMessage] = []
    for channel in registered_channels():
        if channel.name == OutboundMessage.Channel.EMAIL:
            purpose = consent.MARKETING_EMAIL
            subjects = consent.subjects_for(user_id=user_id, email=recipient.email)
        else:
            purpose = consent.MARKETING_CHAT
            extra = channel.consent_subjects(recipient) if hasattr(channel, "consent_subjects") else []
            subjects = consent.subjects_for(user_id=user_id, extra=extra)
        if not consent.has_consent(subjects=subjects, purpose=purpose):
            continue
        token = consent.stop_token(subjects=subjects, purpose=purpose)
        stop_url = settings.SITE_URL.rstrip("/") + reverse("privacy:stop", args=[token])
        message = channel.queue(recipient=recipient, event=event, context={**context, "stop_url": stop_url})
        if message is not None:
            queued.append(message)
    return queued


def _enqueue(*, message_id: int) -> None:
    # Imported here: tasks.py imports this module (the task calls deliver).
    from otop.notifications.tasks import send_outbound_message

    send_outbound_message.enqueue(message_id=message_id)


def enqueue_after_commit(message: OutboundMessage) -> None:
    """Queue the sending of a recorded message once the current transaction commits (for channels)."""
    transaction.on_commit(partial(_enqueue, message_id=message.pk))


# A message is tried at most this often; the waits before the second, third, ... attempt.
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (10, 60, 300, 1800)
# How long an attempt may take before another worker may take the message over (a worker that died).
ATTEMPT_LEASE = timedelta(minutes=10)


def _schedule_retry(*, message_id: int, due: datetime) -> None:
    """Queue the next attempt for `due`; a backend that cannot wait leaves it to send_due_messages."""
    # Imported here: tasks.py imports this module (the task calls deliver).
    from django_tasks import default_task_backend

    from otop.notifications.tasks import send_outbound_message

    if default_task_backend.supports_defer:
        send_outbound_message.using(run_after=due).enqueue(message_id=message_id)


def deliver(*, message_id: int, now: datetime | None = None) -> OutboundMessage:
    """Send one queued message now if it is due; one already sent, failed or being sent is left alone.

    A temporary failure (rate limit, the provider's own error) is recorded and tried again later,
    backing off, at most MAX_ATTEMPTS times in all; any other failure, or the last one, marks the
    message failed and raises.
    """
    now = now or timezone.now()
    claimed = (
        OutboundMessage.objects.filter(
            pk=message_id, status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=OutboundMessage.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + ATTEMPT_LEASE)
    )
    message = OutboundMessage.objects.get(pk=message_id)
    if not claimed:
        return message
    try:
        channel = channel_named(message.channel)
        if channel is None:
            raise LookupError(f"no channel {message.channel!r} is registered")
        channel.send(message)
    except TemporaryFailure as error:
        if message.attempts < MAX_ATTEMPTS:
            wait = BACKOFF_SECONDS[min(message.attempts, len(BACKOFF_SECONDS)) - 1]
            due = now + timedelta(seconds=max(wait, error.retry_after_seconds or 0))
            _record(message, status=OutboundMessage.Status.QUEUED, error=error, next_attempt_at=due)
            _schedule_retry(message_id=message.pk, due=due)
            return message
        _record(message, status=OutboundMessage.Status.FAILED, error=error)
        raise
    except Exception as error:  # noqa: BLE001 - the failure is recorded for staff to see
        _record(message, status=OutboundMessage.Status.FAILED, error=error, failure=getattr(error, "reason", ""))
        raise
    # The last error stays: staff can see that a message went out only after a retry.
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    message.refresh_from_db()
    return message


def _record(
    message: OutboundMessage,
    *,
    status: str,
    error: Exception,
    next_attempt_at: datetime | None = None,
    failure: str = "",
) -> None:
    text = f"attempt {message.attempts}: {error}"[:2000]
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=status, error=text, next_attempt_at=next_attempt_at, failure=str(failure)[:20]
    )
    message.refresh_from_db()


def send_due_messages(*, now: datetime | None = None) -> int:
    """Try again every message whose retry is due (or whose attempt was cut off); returns how many were tried."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.filter(
            status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:200]
    )
    for message_id in due:
        try:
            deliver(message_id=message_id, now=now)
        except Exception:  # noqa: BLE001 - recorded on the message; the others still go
            logger.warning("outbound message %s failed", message_id, exc_info=True)
    return len(due)
