"""Order updates told to the chat an order was placed from, on whatever platform that chat is.

Connected to `orders.signals.order_status_changed` from the app's ready() (orders never imports us):
the order's chat is the contact of the one-time checkout link that placed it, and its platform words
and sends the update (`ChatPlatform.order_update`).
"""

from __future__ import annotations

from typing import Any

from otop.channels.platforms import platform_for
from otop.channels.selectors import contact_for_order
from otop.orders.models import Order

# The changes a buyer hears about in the chat (completion is not news).
TOLD_STATUSES = frozenset(
    {
        Order.Status.PAID,
        Order.Status.PACKED,
        Order.Status.SHIPPED,
        Order.Status.READY_FOR_PICKUP,
        Order.Status.COMPLETED,
        Order.Status.CANCELLED,
        Order.Status.REFUNDED,
    }
)


def tell_order_update(sender: Any, *, order: Order, to_status: str, note: str = "", **kwargs: Any) -> None:
    """Queue the update to the order's chat (once per change; an unreachable chat gets nothing)."""
    if to_status not in TOLD_STATUSES:
        return
    contact = contact_for_order(order)
    if contact is None:
        return
    platform = platform_for(contact.platform)
    if platform.is_enabled():
        platform.order_update(contact=contact, order=order, to_status=to_status, note=note)
