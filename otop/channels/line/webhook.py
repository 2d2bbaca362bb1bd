"""POST /line/webhook: LINE's events, verified on the raw body, kept once each, worked on by the worker.

The signature (x-line-signature = base64(HMAC-SHA256(channel secret, raw body))) is compared in
constant time before the body is parsed; a missing one answers 401 and a wrong one 403, with nothing
kept. A body we cannot read, and events of kinds we do not handle, are logged and answered 200 (LINE
would send them again otherwise). Each event is stored under a unique (platform, webhookEventId), so a
redelivery, or the same body posted twice at once, is worked on once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from datetime import datetime
from functools import partial

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otop.channels.line.client import line_config
from otop.channels.line.tasks import process_line_events
from otop.channels.models import InboundEvent, Platform

logger = logging.getLogger("otop.channels.line")

# The event kinds the bot works on; others (joins, beacons, unsent messages...) are logged and dropped.
HANDLED_KINDS = {"message", "postback", "follow", "unfollow"}


def signature_is_valid(*, channel_secret: str, body: bytes, signature: str) -> bool:
    expected = base64.b64encode(hmac.new(channel_secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


def record_events(body: bytes, *, now: datetime | None = None) -> list[str]:
    """Keep the events of a verified body (each once) and queue their work; returns the ids kept now."""
    now = now or timezone.now()
    try:
        events = json.loads(body)["events"]
        if not isinstance(events, list):
            raise TypeError("events is not a list")
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("LINE webhook: unreadable body (%s)", error)
        return []
    rows = []
    for event in events:
        kind = event.get("type") if isinstance(event, dict) else None
        event_id = event.get("webhookEventId") if isinstance(event, dict) else None
        if kind not in HANDLED_KINDS:
            logger.info("LINE webhook: %s event not handled", kind)
            continue
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 100:
            logger.warning("LINE webhook: %s event without a webhookEventId", kind)
            continue
        context = event.get("deliveryContext")
        rows.append(
            InboundEvent(
                platform=Platform.LINE,
                event_id=event_id,
                kind=kind,
                payload=event,
                is_redelivery=bool(context.get("isRedelivery")) if isinstance(context, dict) else False,
                received_at=now,
            )
        )
    if not rows:
        return []
    event_ids = [row.event_id for row in rows]
    with transaction.atomic():
        InboundEvent.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(partial(process_line_events.enqueue, event_ids=event_ids))
    return event_ids


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    config = line_config()
    if not config.is_enabled:
        raise Http404
    signature = request.headers.get("x-line-signature", "")
    if not signature:
        return HttpResponse(status=401)
    body = request.body
    if not signature_is_valid(channel_secret=config.channel_secret, body=body, signature=signature):
        logger.warning("LINE webhook: wrong signature from %s", request.META.get("REMOTE_ADDR"))
        return HttpResponse(status=403)
    record_events(body)
    return HttpResponse(b"{}", content_type="application/json")
