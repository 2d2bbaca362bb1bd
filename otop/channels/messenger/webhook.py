"""GET and POST /facebook/webhook: Meta's verification, then the page's messages, verified on the raw body.

- GET answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` matches (403 otherwise).
- POST checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>` in constant time before
  the body is parsed: missing or wrong → 403 and nothing is kept. Each message is kept once under its
  `mid` (a retried delivery is not worked on again) and the worker answers it.
- Without the app secret, verify token and page token Messenger is off: 404.
"""

from __future__ import annotations

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
from django.views.decorators.http import require_http_methods

from otop.channels.messenger.client import messenger_config
from otop.channels.messenger.tasks import process_messenger_events
from otop.channels.models import InboundEvent, Platform

logger = logging.getLogger("otop.channels.messenger")


def signature_is_valid(*, app_secret: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode("utf-8", "replace"))


def _events(data: dict) -> list[tuple[str, str, dict]]:
    """(kind, message id, event) for each message or postback a person sent (our own echoes left out)."""
    found = []
    if not isinstance(data, dict) or data.get("object") != "page" or not isinstance(data.get("entry"), list):
        return found
    for entry in data["entry"]:
        messaging = entry.get("messaging") if isinstance(entry, dict) else None
        for event in messaging if isinstance(messaging, list) else []:
            if not isinstance(event, dict) or not isinstance(event.get("sender"), dict):
                continue
            message, postback = event.get("message"), event.get("postback")
            if isinstance(message, dict) and not message.get("is_echo"):
                kind, mid = "message", message.get("mid")
            elif isinstance(postback, dict):
                kind, mid = (
                    "postback",
                    postback.get("mid") or f"pb-{event['sender'].get('id')}-{event.get('timestamp')}",
                )
            else:
                continue
            if isinstance(mid, str) and 0 < len(mid) <= 100:
                found.append((kind, mid, event))
    return found


def record_events(body: bytes, *, now: datetime | None = None) -> list[str]:
    """Keep the messages of a verified body (each once) and queue their work; returns their ids."""
    now = now or timezone.now()
    try:
        found = _events(json.loads(body))
    except ValueError as error:
        logger.warning("Messenger webhook: unreadable body (%s)", error)
        return []
    if not found:
        return []
    rows = [
        InboundEvent(platform=Platform.MESSENGER, event_id=mid, kind=kind, payload=event, received_at=now)
        for kind, mid, event in found
    ]
    event_ids = [row.event_id for row in rows]
    with transaction.atomic():
        InboundEvent.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(partial(process_messenger_events.enqueue, event_ids=event_ids))
    return event_ids


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    config = messenger_config()
    if not config.is_enabled:
        raise Http404
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and hmac.compare_digest(
            token.encode(), config.verify_token.encode()
        ):
            return HttpResponse(request.GET.get("hub.challenge", "")[:200], content_type="text/plain")
        return HttpResponse(status=403)
    body = request.body
    header = request.headers.get("X-Hub-Signature-256", "")
    if not header or not signature_is_valid(app_secret=config.app_secret, body=body, header=header):
        logger.warning("Messenger webhook: missing or wrong signature from %s", request.META.get("REMOTE_ADDR"))
        return HttpResponse(status=403)
    record_events(body)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")
