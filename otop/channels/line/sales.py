"""Producers linked on LINE hear of their sales in batches: every few minutes, one message per producer
with what sold since the last one (till, web, LINE; a basket counts for each of its components' producers).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from otop.channels.line.outbox import LineChannel
from otop.channels.models import ChatContact, Platform, PushKind, SalesPushCursor
from otop.channels.selectors import push_enabled
from otop.channels.services import start_sales_cursor
from otop.core.collation import collate
from otop.core.i18n import localized
from otop.core.money import ZERO
from otop.inventory.models import SoldItem
from otop.notifications.channels import Recipient
from otop.producers.models import Producer

# At most this many sold lines in one message; the rest come in the next batch.
BATCH = 200


def push_sales_digests(*, now: datetime | None = None) -> int:
    """Tell each linked producer what sold since their last message; returns how many were told."""
    now = now or timezone.now()
    producer_ids = set(
        ChatContact.objects.filter(platform=Platform.LINE, is_following=True, user__producer__isnull=False).values_list(
            "user__producer", flat=True
        )
    )
    told = 0
    for producer in Producer.objects.filter(pk__in=producer_ids).select_related("user").order_by("pk"):
        if _push_digest(producer, now=now):
            told += 1
    return told


def _push_digest(producer: Producer, *, now: datetime) -> bool:
    start_sales_cursor(producer)
    with transaction.atomic():
        cursor = SalesPushCursor.objects.select_for_update().get(producer=producer)
        items = list(
            SoldItem.objects.filter(producer=producer, kind=SoldItem.Kind.SALE, pk__gt=cursor.last_sold_item_id)
            .select_related("variant__product")
            .order_by("pk")[:BATCH]
        )
        if not items:
            return False
        SalesPushCursor.objects.filter(pk=cursor.pk).update(last_sold_item_id=items[-1].pk)
        if not push_enabled(producer.user, PushKind.SALES):
            return False  # switched off: these sales are not told later either
        language = producer.user.preferred_language or "th"
        totals: dict[int, list] = defaultdict(lambda: [None, 0, ZERO, set()])
        for item in items:
            row = totals[item.variant_id]
            row[0] = item.variant
            row[1] += item.quantity
            row[2] += item.amount
            row[3].add(item.channel)
        lines = [
            {
                "name": localized(variant.product, "name", language),
                "quantity": quantity,
                "amount": amount,
                "channels": ", ".join(collate(_channel_label(channel, language) for channel in channels)),
            }
            for variant, quantity, amount, channels in totals.values()
        ]
        total: Decimal = sum((line["amount"] for line in lines), ZERO)
        message = LineChannel().queue(
            recipient=Recipient(user=producer.user, language=language),
            event="line/sales_digest",
            context={
                "producer_name": producer.name_th,
                "lines": lines,
                "total": total,
                "units": sum(line["quantity"] for line in lines),
            },
        )
    return message is not None


def _channel_label(channel: str, language: str) -> str:
    with translation.override(language):
        return str(SoldItem.Channel(channel).label) if channel in SoldItem.Channel.values else channel
