"""LINE speed: the webhook answers a signed 10-event body with the work queued (goal p95 < 50 ms), and a
search answer is sent within 300 ms of its event reaching the worker (BENCH_PRODUCTS=100000 for the
figure at 100,000 products). LINE is the fake LINE Platform on 127.0.0.1 that the tests use; the
webhook is timed through Django's whole request stack, with the database task queue (work queued,
not done inline).
"""

from __future__ import annotations

import json
import time
import uuid

from django.test import Client, override_settings
from django.utils import timezone

from bench.harness import Context, TimedCase
from otop.channels.line.tests.fake_line import ACCESS_TOKEN, FakeLine
from otop.channels.line.tests.helpers import CHANNEL_SECRET, sign
from otop.channels.models import InboundEvent, Platform
from otop.search.bench import JUDGED

ITERATIONS = 200


def _event(user_id: str, text: str) -> dict:
    return {
        "type": "message",
        "mode": "active",
        # Ahead of the clock: every reply token of the run stays fresh, so every answer is a reply.
        "timestamp": int(time.time() * 1000) + 600_000,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": uuid.uuid4().hex[:18], "quoteToken": "q", "text": text},
    }


def timed_cases(context: Context) -> list[TimedCase]:
    state: dict = {}
    user_id = "U" + uuid.uuid4().hex

    def enable(tasks_backend: str) -> None:
        line = state["line"] = FakeLine().__enter__()
        line.add_profile(user_id, display_name="bench", language="th")
        overrides = override_settings(
            LINE_CHANNEL_SECRET=CHANNEL_SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
            LINE_API_BASE_URL=line.api_base_url,
            LINE_DATA_API_BASE_URL=line.data_api_base_url,
            SITE_URL="https://otop.example",
            TASKS={"default": {"BACKEND": tasks_backend}},
        )
        overrides.enable()
        state["overrides"] = overrides

    def disable() -> None:
        state.pop("overrides").disable()
        state["line"].__exit__()

    def setup_webhook() -> None:
        enable("django_tasks_db.DatabaseBackend")
        state["client"] = Client()
        bodies = []
        for _ in range(ITERATIONS + 5):
            events = [_event(user_id, JUDGED[i % len(JUDGED)][0]) for i in range(10)]
            bodies.append(json.dumps({"destination": "U" + "0" * 32, "events": events}, ensure_ascii=False).encode())
        state["bodies"] = bodies
        for body in bodies[ITERATIONS:]:  # warm up: the first requests load the URL conf and connections
            state["client"].post("/line/webhook", data=body, content_type="application/json",
                                 HTTP_X_LINE_SIGNATURE=sign(body))  # fmt: skip

    def webhook(iteration: int) -> None:
        body = state["bodies"][iteration]
        response = state["client"].post(
            "/line/webhook", data=body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body)
        )
        assert response.status_code == 200
        if iteration == ITERATIONS - 1:
            queued = InboundEvent.objects.filter(status=InboundEvent.Status.QUEUED).count()
            extra_webhook["events queued, not yet worked on"] = queued
            InboundEvent.objects.filter(platform=Platform.LINE).delete()
            disable()

    def setup_search() -> None:
        from otop.channels.line.handlers import process_events

        enable("django_tasks.backends.immediate.ImmediateBackend")
        events = [_event(user_id, JUDGED[i % len(JUDGED)][0]) for i in range(ITERATIONS + 5)]
        InboundEvent.objects.bulk_create(
            InboundEvent(
                platform=Platform.LINE,
                event_id=e["webhookEventId"],
                kind="message",
                payload=e,
                received_at=timezone.now(),
            )
            for e in events
        )
        state["events"] = [e["webhookEventId"] for e in events]
        process_events(event_ids=state["events"][ITERATIONS:])  # warm up (profile read, dictionaries loaded)
        state["replies_before"] = len(state["line"].calls("/v2/bot/message/reply"))

    def search_reply(iteration: int) -> None:
        from otop.channels.line.handlers import process_events

        process_events(event_ids=[state["events"][iteration]])
        if iteration == ITERATIONS - 1:
            replies = state["line"].calls("/v2/bot/message/reply")[state["replies_before"] :]
            carousels = sum(1 for r in replies if r.json["messages"][0]["type"] == "flex")
            extra_search["replies sent"] = len(replies)
            extra_search["of which carousels"] = carousels
            InboundEvent.objects.filter(platform=Platform.LINE).delete()
            disable()

    extra_webhook: dict = {}
    extra_search: dict = {"products": context.products}
    return [
        TimedCase(
            "line: webhook, signed 10-event body",
            webhook,
            iterations=ITERATIONS,
            setup=setup_webhook,
            goal="p95 < 50 ms (work queued)",
            extra=extra_webhook,
        ),
        TimedCase(
            "line: search answer sent (worker)",
            search_reply,
            iterations=ITERATIONS,
            setup=setup_search,
            goal="p95 < 300 ms at 100,000 products",
            extra=extra_search,
        ),
    ]
