"""Signed webhook bodies as LINE sends them, for the channels app's tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

from django.test import Client, TestCase

from otop.channels.line.tests.fake_line import FakeLine
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.search.tests.factories import listed_product

CHANNEL_SECRET = "channel_secret"


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def new_user_id() -> str:
    return "U" + uuid.uuid4().hex


def event(kind: str, user_id: str, *, reply_token: str = "", event_id: str = "", redelivery: bool = False, **extra):
    body = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": redelivery},
        **extra,
    }
    if reply_token:
        body["replyToken"] = reply_token
    return body


def text_event(line: FakeLine, user_id: str, text: str, **kwargs) -> dict:
    return event(
        "message",
        user_id,
        reply_token=line.issue_reply_token(user_id),
        message={"type": "text", "id": uuid.uuid4().hex[:18], "quoteToken": "q", "text": text},
        **kwargs,
    )


def postback_event(line: FakeLine, user_id: str, data: str, **kwargs) -> dict:
    return event("postback", user_id, reply_token=line.issue_reply_token(user_id), postback={"data": data}, **kwargs)


def post_events(events: list[dict], *, client: Client | None = None, secret: str = CHANNEL_SECRET):
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}, ensure_ascii=False).encode()
    with committed():
        return (client or Client()).post(
            "/line/webhook", data=body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body, secret)
        )


def committed():
    """Run what waits for the commit (queued tasks, pushes) when the block ends, as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def stocked_product(*, name_th: str, quantity: int = 5, **extra):
    """A listed, indexed product with `quantity` units on the online-order shelf."""
    product = listed_product(name_th=name_th, **extra)
    if quantity:
        inventory.receive_stock(
            variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=quantity, actor=None
        )
    return product
