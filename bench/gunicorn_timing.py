"""Gunicorn hooks for the cluster bench (`gunicorn -c bench/gunicorn_timing.py ...`): each request's time inside
the app server, and how much of it went to PostgreSQL and to the shared cache, one JSON line per request in
BENCH_TIMING_LOG.

- app_ms: from gunicorn handing the request to Django until the answer is written back to nginx;
- db_ms, queries: every SQL statement, timed by an execute wrapper on each thread's connection;
- cache_ms, cache_calls: every call to Redis through Django's RedisCache client.

nginx's access log (tests/cluster/harness.py, the `timing` format) carries the same X-Request-ID, so a line here
and the proxy's line for the request can be joined.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time

_local = threading.local()
_log: dict[str, int] = {}
CACHE_METHODS = ("get", "get_many", "set", "set_many", "add", "touch", "delete", "delete_many", "incr", "has_key")


def _timed_query(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _count("db", time.perf_counter() - started)


def _count(kind: str, seconds: float) -> None:
    totals = getattr(_local, kind, None)
    if totals is not None:
        totals[0] += seconds
        totals[1] += 1


def _timed_cache_call(method):
    @functools.wraps(method)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            _count("cache", time.perf_counter() - started)

    return timed


def _wrap_connection(sender, connection, **kwargs) -> None:
    # A connection object reconnects after CONN_MAX_AGE: wrapped once, or every statement would count twice.
    if _timed_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_timed_query)


def post_fork(server, worker) -> None:
    from django.core.cache.backends.redis import RedisCacheClient
    from django.db.backends.signals import connection_created

    connection_created.connect(_wrap_connection, weak=False)
    for name in CACHE_METHODS:
        setattr(RedisCacheClient, name, _timed_cache_call(getattr(RedisCacheClient, name)))
    _log["fd"] = os.open(os.environ["BENCH_TIMING_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def pre_request(worker, req) -> None:
    _local.db, _local.cache = [0.0, 0], [0.0, 0]
    _local.started = time.perf_counter()


def post_request(worker, req, environ, resp) -> None:
    app = time.perf_counter() - _local.started
    line = {
        "request_id": environ.get("HTTP_X_REQUEST_ID", ""),
        "method": req.method,
        "path": req.path,
        "status": resp.status_code,
        "app_ms": round(app * 1000, 3),
        "db_ms": round(_local.db[0] * 1000, 3),
        "queries": _local.db[1],
        "cache_ms": round(_local.cache[0] * 1000, 3),
        "cache_calls": _local.cache[1],
        "pid": os.getpid(),
    }
    os.write(_log["fd"], (json.dumps(line) + "\n").encode())
