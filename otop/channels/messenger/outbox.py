"""Everything the center says on Messenger is an OutboundMessage (channel `messenger`, the Send API's
`message` object in its payload), sent by the notifications worker with its retries.

`MessengerChannel` is the notifications channel that sends them; `MessengerPlatform` is the chat platform
the shared parts of the channels app use (the staff inbox's answers, order news).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from otop.channels.messenger.client import messenger_config, send_message
from otop.channels.models import ChatContact, Platform
from otop.core.money import format_baht
from otop.notifications.channels import Recipient
from otop.notifications.models import OutboundMessage
from otop.notifications.services import deliver, enqueue_after_commit
from otop.orders.models import Order
from otop.orders.selectors import tracking_token

logger = logging.getLogger("otop.channels.messenger")

TEXT_MAX = 2000


def _summary(message: dict) -> str:
    if "text" in message:
        return message["text"]
    elements = ((message.get("attachment") or {}).get("payload") or {}).get("elements") or []
    return "\n".join(element.get("title", "") for element in elements)


def _record(contact: ChatContact, message: dict, *, event: str, messaging_type: str) -> OutboundMessage:
    return OutboundMessage.objects.create(
        event=event[:80],
        channel=OutboundMessage.Channel.MESSENGER,
        recipient=contact.external_id,
        language=contact.language,
        body=_summary(message)[:5000],
        payload={"message": message, "messaging_type": messaging_type},
    )


def answer(contact: ChatContact, message: dict, *, event: str) -> OutboundMessage:
    """Answer a person's message now (the worker is already working on their event)."""
    record = _record(contact, message, event=event, messaging_type="RESPONSE")
    try:
        return deliver(message_id=record.pk)
    except Exception:  # noqa: BLE001 - recorded on the message; the event itself was handled
        logger.warning("Messenger answer %s failed", record.pk, exc_info=True)
        record.refresh_from_db()
        return record


def queue_update(contact: ChatContact, message: dict, *, event: str) -> OutboundMessage | None:
    """A message outside an answer (staff's reply, order news), sent after commit; None when Messenger is off."""
    if not messenger_config().is_enabled:
        return None
    record = _record(contact, message, event=event, messaging_type="UPDATE")
    enqueue_after_commit(record)
    return record


def text_message(value: str) -> dict:
    return {"text": value[:TEXT_MAX]}


class MessengerChannel:
    """The notifications channel: sends recorded Messenger messages (people are not reached by notify_person)."""

    name = OutboundMessage.Channel.MESSENGER

    def queue(self, *, recipient: Recipient, event: str, context: dict[str, Any]) -> OutboundMessage | None:
        return None

    def send(self, message: OutboundMessage) -> None:
        send_message(
            recipient_id=message.recipient,
            message=message.payload.get("message") or text_message(message.body),
            messaging_type=message.payload.get("messaging_type", "RESPONSE"),
        )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class MessengerPlatform:
    """Messenger as a chat platform of the channels app."""

    name = Platform.MESSENGER

    def is_enabled(self) -> bool:
        return messenger_config().is_enabled

    def send_text(self, *, contact: ChatContact, text: str, event: str) -> OutboundMessage | None:
        return queue_update(contact, text_message(text), event=event)

    def order_placed(self, *, contact: ChatContact, order: Order) -> None:
        if order.cash_on_delivery:
            words = _(
                "Order %(number)s is placed: %(total)s, cash on delivery: pay the courier when the parcel arrives."
            )
        else:
            words = _("Order %(number)s is placed: %(total)s.")
        self._order_news(contact, order, words)

    def order_update(self, *, contact: ChatContact, order: Order, to_status: str, note: str) -> None:
        self._order_news(contact, order, _("Order %(number)s: %(status)s.") + (f"\n{note}" if note else ""))

    def _order_news(self, contact: ChatContact, order: Order, template: str) -> None:
        with translation.override(contact.language):
            link = _absolute(
                reverse(
                    "storefront:tracked-order", kwargs={"number": order.number, "token": tracking_token(order.number)}
                )
            )
            words = template % {
                "number": order.number,
                "total": format_baht(order.total),
                "status": order.get_status_display(),
            }
        queue_update(contact, text_message(f"{words}\n{link}"), event="messenger/order")

    def checkout_url(self, *, token: str) -> str:
        return _absolute(reverse("channels:checkout", args=[token]))
