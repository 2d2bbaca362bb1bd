"""Everything the center says on LINE is an OutboundMessage (notifications), sent by its worker:
answers to a person's message (a reply, or a push when the reply token is spent) and pushes (order
updates, producers' news, staff answers). Every push carries the message's X-Line-Retry-Key, so a
retried push reaches the person once.

`LineChannel` is the notifications channel (registered from the app's ready()): `producers.notify`
and `notifications.notify_person` reach a linked account on LINE through it.
`LinePlatform` is the chat platform the shared parts of the channels app use.
"""

from __future__ import annotations

import logging
from typing import Any

from django.urls import reverse
from django.utils import translation

from otop.channels.line.client import LineNotConfigured, LineRefused, ReplyTokenInvalid, line_client, line_config
from otop.channels.line.messages import absolute, order_placed_messages, order_status_message, text_message
from otop.channels.models import ChatContact, Platform
from otop.channels.selectors import push_wanted
from otop.core import consent
from otop.notifications.channels import Recipient
from otop.notifications.models import OutboundMessage
from otop.notifications.services import deliver, enqueue_after_commit, render_message
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for, qr_path

logger = logging.getLogger("otop.channels.line")


def _summary(messages: list[dict]) -> str:
    """What the messages say, in words, for the record and for staff."""
    parts = []
    for message in messages:
        if message.get("type") == "text":
            parts.append(message["text"])
        elif message.get("type") == "flex":
            parts.append(message.get("altText", ""))
        else:
            parts.append(f"[{message.get('type')}]")
    return "\n".join(parts)


def _record(contact: ChatContact, messages: list[dict], *, event: str, reply_token: str = "", subject: str = ""):
    payload: dict[str, Any] = {"messages": messages}
    if reply_token:
        payload["reply_token"] = reply_token
    return OutboundMessage.objects.create(
        event=event[:80],
        channel=OutboundMessage.Channel.LINE,
        recipient=contact.external_id,
        language=contact.language,
        subject=subject[:200],
        body=_summary(messages),
        payload=payload,
    )


def queue_push(contact: ChatContact, messages: list[dict], *, event: str, subject: str = "") -> OutboundMessage | None:
    """Record a push and queue its sending after commit; None when LINE is off or the person unfollowed."""
    if not line_config().is_enabled or not contact.is_following:
        return None
    message = _record(contact, messages, event=event, subject=subject)
    enqueue_after_commit(message)
    return message


def send_answer(contact: ChatContact, messages: list[dict], *, reply_token: str, event: str) -> OutboundMessage:
    """Answer a person's message now (the worker is already working on their event)."""
    message = _record(contact, messages, event=event, reply_token=reply_token)
    try:
        return deliver(message_id=message.pk)
    except Exception:  # noqa: BLE001 - recorded on the message; the event itself was handled
        logger.warning("LINE answer %s failed", message.pk, exc_info=True)
        message.refresh_from_db()
        return message


def send(message: OutboundMessage) -> None:
    """Send a recorded LINE message: as a reply on the first attempt when it has a reply token, else as a
    push with its retry key. Raises TemporaryFailure to be tried again, anything else when refused."""
    try:
        client = line_client()
    except LineNotConfigured as error:
        raise LineRefused(0, str(error)) from None
    messages = message.payload.get("messages") or [
        text_message("\n\n".join(part for part in (message.subject, message.body) if part))
    ]
    reply_token = message.payload.get("reply_token", "")
    if reply_token and message.attempts <= 1:
        try:
            client.reply(reply_token=reply_token, messages=messages)
            return
        except ReplyTokenInvalid:
            logger.info("LINE reply token of message %s was spent: pushing instead", message.pk)
    if ChatContact.objects.filter(platform=Platform.LINE, external_id=message.recipient, is_following=False).exists():
        raise LineRefused(0, "the person unfollowed the account: nothing is pushed")
    client.push(to=message.recipient, messages=messages, retry_key=str(message.idempotency_key))


class LineChannel:
    """The notifications channel: an account's news reaches the LINE chats linked to it."""

    name = OutboundMessage.Channel.LINE

    def consent_subjects(self, recipient: Recipient) -> list[str]:
        """The LINE chats of the account, under which a consent to marketing pushes may have been given."""
        if recipient.user is None:
            return []
        ids = ChatContact.objects.filter(platform=Platform.LINE, user=recipient.user).values_list(
            "external_id", flat=True
        )
        return [consent.chat_subject(Platform.LINE, external_id) for external_id in ids]

    def queue(self, *, recipient: Recipient, event: str, context: dict[str, Any]) -> OutboundMessage | None:
        if recipient.user is None or not line_config().is_enabled:
            return None
        contact = (
            ChatContact.objects.filter(platform=Platform.LINE, user=recipient.user, is_following=True)
            .order_by("-last_seen_at", "-pk")
            .first()
        )
        if contact is None:
            return None
        if not push_wanted(recipient.user, event):
            return None
        subject, body = render_message(event=event, language=recipient.language, context=context)
        text = "\n\n".join(part for part in (subject, body) if part)
        return queue_push(contact, [text_message(text)], event=event, subject=subject)

    def send(self, message: OutboundMessage) -> None:
        send(message)


class LinePlatform:
    """LINE as a chat platform of the channels app."""

    name = Platform.LINE

    def is_enabled(self) -> bool:
        return line_config().is_enabled

    def send_text(self, *, contact: ChatContact, text: str, event: str) -> OutboundMessage | None:
        return queue_push(contact, [text_message(text)], event=event)

    def order_placed(self, *, contact: ChatContact, order: Order) -> None:
        payment = promptpay_payment_for(order)
        with translation.override(contact.language):
            messages = order_placed_messages(order, qr_url=qr_path(payment, image_format="png") if payment else "")
        queue_push(contact, messages, event="line/order_placed")

    def order_update(self, *, contact: ChatContact, order: Order, to_status: str, note: str) -> None:
        with translation.override(contact.language):
            message = order_status_message(order, to_status=to_status, note=note)
        queue_push(contact, [message], event=f"line/order_{to_status}")

    def checkout_url(self, *, token: str) -> str:
        config = line_config()
        if config.liff_id:
            # Opens inside LINE; LINE hands the query to our LIFF endpoint (/chat/checkout/) as liff.state.
            return f"https://liff.line.me/{config.liff_id}?t={token}"
        return absolute(reverse("channels:checkout", args=[token]))
