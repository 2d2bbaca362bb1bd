"""What operators see: /healthz naming what failed, /metrics for Prometheus, request ids in logs and tasks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.config import Config
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from otop.catalog.tests.factories import ProductFactory
from otop.channels.models import InboundEvent
from otop.core.logcontext import RequestIdFilter, current_request_id
from otop.core.models import TaskOrigin
from otop.core.tests import servers
from otop.core.tests.tasks import report_request_id
from otop.inventory.models import Location, StockShortfall

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_names_the_cache_that_does_not_answer(db, client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unreachable", "storage": "ok"}


def test_healthz_names_the_storage_that_does_not_answer(db, client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "otop-media",
                "endpoint_url": "http://127.0.0.1:9",
                "access_key": "key",
                "secret_key": "secret",
                "region_name": "us-east-1",
                "client_config": Config(retries={"max_attempts": 1}, connect_timeout=1),
            },
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "ok", "storage": "unreachable"}


def scrape(client: Client, **extra) -> dict[str, float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in response.content.decode().splitlines()
        if line and not line.startswith("#")
    }


@pytest.mark.django_db(transaction=True)
def test_metrics_report_requests_the_task_queue_webhook_failures_and_shortfalls(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report_request_id.enqueue()
    report_request_id.enqueue()
    InboundEvent.objects.create(
        platform="line", event_id="e1", kind="message", payload={}, received_at="2026-12-01T00:00:00Z", status="failed"
    )
    variant = ProductFactory().variants.get()
    StockShortfall.objects.create(variant=variant, location=Location.objects.first(), quantity=2, reference="pos:1")
    client.get("/healthz")
    metrics = scrape(client)
    assert metrics["otop_task_queue_depth"] == 2
    assert metrics["otop_task_queue_oldest_age_seconds"] >= 0
    assert metrics["otop_webhook_events_failed"] == 1
    assert metrics["otop_stock_shortfalls_open"] == 1
    assert any(name.startswith("django_http_requests_total_by_view_transport_method") for name in metrics)
    assert (
        metrics['django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="healthz"}']
        >= 1
    )


def test_metrics_are_not_shown_to_the_public(db, client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_a_request_id_is_answered_and_a_proxys_one_is_kept(db, client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")["X-Request-ID"] == "nginx-0123456789abcdef"
    )
    # Something that is not an id is not written into the logs: a new one is made.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_under_the_id_of_the_request_that_queued_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    token = current_request_id.set("req-0123456789")
    try:
        result = report_request_id.enqueue()
    finally:
        current_request_id.reset(token)
    anonymous = report_request_id.enqueue()
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    assert DBTaskResult.objects.get(pk=result.id).return_value == "req-0123456789"
    assert DBTaskResult.objects.get(pk=anonymous.id).return_value == ""
    assert not TaskOrigin.objects.exists()


def test_json_logs_carry_the_request_id():
    code = (
        "import django, logging; django.setup();"
        "from otop.core.logcontext import current_request_id; current_request_id.set('req-42424242');"
        "logging.getLogger('otop.test').warning('stock checked')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "otop.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING",
        "otop.test",
        "stock checked",
        "req-42424242",
    )
    assert "time" in line and line["pid"] > 0


def test_servers_helper_reads_the_port_range(monkeypatch):
    monkeypatch.setenv("OTOP_TEST_PORTS", "8310-8329")
    assert 8310 <= servers.free_port() <= 8329


def test_an_error_answer_is_logged_with_its_requests_id():
    # django.request logs 4xx/5xx answers after the middleware chain: the id comes from the request itself.
    request = type("Request", (), {"request_id": "req-from-request"})()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable", None, None)
    record.request = request
    assert RequestIdFilter().filter(record) and record.request_id == "req-from-request"
