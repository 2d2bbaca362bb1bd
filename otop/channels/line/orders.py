"""Order updates pushed to the buyer on LINE, from the orders app's signal (orders never imports us)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from otop.channels.line.messages import order_status_message
from otop.channels.line.outbox import queue_push
from otop.channels.models import Platform
from otop.channels.selectors import contact_for_order
from otop.orders.models import Order

# The changes a buyer hears about (packing, shipping and pickup included; completion is not news).
PUSHED = {
    Order.Status.PAID,
    Order.Status.PACKED,
    Order.Status.SHIPPED,
    Order.Status.READY_FOR_PICKUP,
    Order.Status.CANCELLED,
    Order.Status.REFUNDED,
}


def push_order_update(sender: Any, *, order: Order, to_status: str, note: str = "", **kwargs: Any) -> None:
    """Queue the update to the chat the order came from (once per change; unfollowed chats get nothing)."""
    if to_status not in PUSHED or order.channel != Order.Channel.LINE:
        return
    contact = contact_for_order(order)
    if contact is None or contact.platform != Platform.LINE:
        return
    with translation.override(contact.language):
        message = order_status_message(order, to_status=to_status, note=note)
    queue_push(contact, [message], event=f"line/order_{to_status}")
