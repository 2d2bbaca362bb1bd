"""Prometheus metrics at /metrics: requests (django-prometheus's middleware, by view and status — a
webhook's refused signatures are its view's 4xx answers) and gauges read from the database when scraped,
so every app server reports the same numbers: the task queue's depth and the age of its oldest ready task,
and what apps register here (the chat webhooks' failed events, open stock shortfalls).

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (docs/deploy.md): request counts are then
summed over the workers of a server.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], float]


_gauges: dict[str, Gauge] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """Report `read()` as the gauge `name` at every scrape (an app's AppConfig.ready() calls this)."""
    _gauges[name] = Gauge(name, documentation, read)


def task_queue_depth() -> float:
    return DBTaskResult.objects.ready().count()


def oldest_ready_task_age_seconds() -> float:
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return 0.0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())


register_gauge("otop_task_queue_depth", "Background tasks ready to run and not yet started.", task_queue_depth)
register_gauge(
    "otop_task_queue_oldest_age_seconds",
    "Seconds the oldest ready background task has waited (0 when the queue is empty).",
    oldest_ready_task_age_seconds,
)


class DatabaseGauges(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for gauge in _gauges.values():
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=float(gauge.read()))


_database_registry = prometheus_client.CollectorRegistry(auto_describe=False)
_database_registry.register(DatabaseGauges())


def process_registry() -> prometheus_client.CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS)


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, for the scraper's addresses only (everyone else gets a 404)."""
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    body = prometheus_client.generate_latest(process_registry()) + prometheus_client.generate_latest(_database_registry)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
