"""The cluster bench's reading of its logs (bench/cluster.py): nginx's timing lines joined to the app servers' lines
by request id, so the parts of a request's time add up and an unanswered request is in no mean."""

from __future__ import annotations

import json

from bench import cluster, gunicorn_timing

PATH = "/search/?q=sai+krok"


def proxy_line(request_id: str, status: int, total: str, upstream: str) -> str:
    return f"{request_id}|{status}|{total}|{upstream}|0.000|127.0.0.1:9001|GET|{PATH}"


def app_line(request_id: str, status: int, app_ms: float, db_ms: float, cache_ms: float, path="/search/") -> str:
    return json.dumps(
        {
            "request_id": request_id,
            "method": "GET",
            "path": path,
            "status": status,
            "app_ms": app_ms,
            "db_ms": db_ms,
            "queries": 4,
            "cache_ms": cache_ms,
            "cache_calls": 2,
        }
    )


def test_upstream_time_of_a_retried_request_is_both_tries():
    assert cluster._seconds("0.002, 0.004") == 0.006
    assert cluster._seconds("-") == 0
    lines = [proxy_line("r1", 200, "0.010", "0.002, 0.004"), proxy_line("r2", 200, "0.010", "0.008")]
    lines.append("r3|200|0.010|0.008|0.000|127.0.0.1:9001|GET|/other/")
    found = cluster.nginx_lines(lines, PATH)
    assert [(line["request_id"], round(line["upstream_ms"], 3)) for line in found] == [("r1", 6.0), ("r2", 8.0)]


def test_the_split_joins_by_request_id_and_leaves_out_unanswered_requests():
    proxy = cluster.nginx_lines(
        [
            proxy_line("r1", 200, "0.030", "0.020"),
            proxy_line("r2", 200, "0.050", "0.040"),
            # wrk's time ran out: the client went away (499); the app still answered later.
            proxy_line("r3", 499, "0.900", "0.900"),
        ],
        PATH,
    )
    app_text = [
        app_line("r1", 200, 10.0, 4.0, 1.0),
        app_line("r2", 200, 30.0, 10.0, 3.0),
        app_line("r3", 200, 2000.0, 1500.0, 1.0),
        app_line("r4", 200, 5.0, 1.0, 1.0, path="/other/"),
    ]
    app = [{**entry, "server": "a"} for entry in cluster.app_lines(app_text, "GET", PATH)]
    assert len(app) == 3  # the other path is not this case's
    split = cluster.time_split(proxy, app, client_mean_ms=45.0)
    assert split["answered requests in the split"] == 2
    assert split["nginx request_time mean ms"] == 40.0
    assert split["nginx own mean ms"] == 10.0
    assert split["to the app server and back mean ms"] == 10.0
    assert (split["app server mean ms"], split["postgresql mean ms"], split["redis mean ms"]) == (20.0, 7.0, 2.0)
    assert split["python mean ms"] == 11.0


def test_straight_to_an_app_server_the_rest_of_the_client_time_is_the_way_there():
    app = [{**entry, "server": "a"} for entry in cluster.app_lines([app_line("", 201, 12.0, 6.0, 1.0)], "GET", PATH)]
    split = cluster.time_split([], app, client_mean_ms=20.0)
    assert split["to the app server and back mean ms"] == 8.0
    assert "nginx own mean ms" not in split


def test_a_connection_that_reconnects_is_timed_once():
    class Connection:
        execute_wrappers: list = []

    connection = Connection()
    gunicorn_timing._wrap_connection(None, connection)
    gunicorn_timing._wrap_connection(None, connection)
    assert connection.execute_wrappers == [gunicorn_timing._timed_query]
