"""Reports: dashboard and API server time, XLSX by producer, rolling up sales (in-process, over the rollup).

The figures depend on how many sold lines are in the database: `manage.py generate_sales_lines --lines N`
writes them (5,000,000 by default; `make bench` uses BENCH_SALES_LINES, 150,000 unless set, because it
runs on every machine) and rebuilds the rollup.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.harness import Context, TimedCase
from otop.accounts.services import create_user
from otop.pos.models import Sale, SaleLine
from otop.reports import rollup
from otop.reports.generate import generate_lines
from otop.reports.rollup import figures_changed, rebuild_sales_rollup
from otop.reports.selectors import current_buddhist_year


def _database_cpu_ms() -> float | None:
    """CPU time so far of this connection's PostgreSQL backend, when it runs on this machine (/proc): the
    database's own work, apart from the waiting a loaded machine adds to the wall time."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def timed_cases(context: Context) -> list[TimedCase]:
    state: dict = {}
    info: dict = {}  # printed with the results

    def setup() -> None:
        wanted = int(os.environ.get("BENCH_SALES_LINES", "150000"))
        have = SaleLine.objects.count()
        if have < wanted:
            generate_lines(lines=wanted - have, days=730)
            started = time.perf_counter()
            rebuild_sales_rollup()
            info["rollup rebuilt in (s)"] = round(time.perf_counter() - started, 1)
        state["lines"] = info["sold lines"] = SaleLine.objects.count()
        # Timed in-process with Django's test client: the manager's second factor is not what is measured.
        settings.TWO_FACTOR_REQUIRED = False
        user = create_user(username=f"bench-reports-{timezone.now():%H%M%S%f}", password="bench-password-2569",
                           role="manager")  # fmt: skip
        client = Client()
        client.force_login(user)
        state["client"] = client
        state["year"] = current_buddhist_year()

    def get(path: str, *, fresh: bool = False):
        def run(_iteration: int) -> None:
            if fresh:  # as right after the rollup added sales: nothing cached for the new figures
                with transaction.atomic():
                    figures_changed()
            response = state["client"].get(path.format(year=state["year"]))
            assert response.status_code == 200, response.status_code

        return run

    def add_day_setup() -> None:
        # A day at the center's expected pace (6,850 lines: ฿2,200 M a year), whatever the history's size: the
        # cost of adding a day follows the day's lines (set BENCH_DAY_LINES to compare sizes).
        lines_a_day = int(os.environ.get("BENCH_DAY_LINES", "6850"))
        info["load average at the start"] = " ".join(f"{load:.1f}" for load in os.getloadavg())
        before = Sale.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        generate_lines(lines=lines_a_day * 3, days=3, until=timezone.localdate() + timedelta(days=400), seed=7)
        sales = list(Sale.objects.filter(pk__gt=before).order_by("pk").values_list("pk", "sold_at"))
        by_day: dict = {}
        for pk, sold_at in sales:
            by_day.setdefault(timezone.localdate(sold_at), []).append(pk)
        state["days"] = list(by_day.values())
        state["cpu"] = []
        info["lines in a day"] = lines_a_day
        info["sold lines in the database"] = SaleLine.objects.count()

    def add_day(iteration: int) -> None:
        ids = state["days"][iteration % len(state["days"])]
        started, database_started = time.process_time(), _database_cpu_ms()
        with transaction.atomic():
            rollup.add_source_rows(rollup.TILL_SALE, ids)
            transaction.set_rollback(True)  # measured again next time, the rollup left as it was
        state["cpu"].append((time.process_time() - started) * 1000)
        info["this process's CPU ms (median)"] = round(sorted(state["cpu"])[len(state["cpu"]) // 2], 1)
        if database_started is not None:
            state.setdefault("database cpu", []).append(_database_cpu_ms() - database_started)
            spent = sorted(state["database cpu"])
            info["PostgreSQL backend CPU ms (median, 10 ms ticks)"] = spent[len(spent) // 2]
        info["load average at the end"] = " ".join(f"{load:.1f}" for load in os.getloadavg())

    def add_minute(_iteration: int) -> None:
        ids = state["days"][0][:5]  # a busy minute: five sales
        with transaction.atomic():
            rollup.add_source_rows(rollup.TILL_SALE, ids)
            transaction.set_rollback(True)

    return [
        TimedCase(name="reports dashboard, a year (every section)", run=get("/reports/?year={year}"), setup=setup,
                  iterations=30, goal="p95 < 300 ms"),
        TimedCase(name="reports dashboard, figures just changed", run=get("/reports/?year={year}", fresh=True),
                  iterations=30, goal="p95 < 300 ms"),
        TimedCase(name="reports API: year by district, just changed",
                  run=get("/api/v1/reports/sales?year={year}&group_by=district", fresh=True), iterations=30,
                  goal="p95 < 300 ms"),
        TimedCase(name="reports API: year by district", run=get("/api/v1/reports/sales?year={year}&group_by=district"),
                  iterations=30, goal="p95 < 300 ms"),
        TimedCase(name="reports API: year by month", run=get("/api/v1/reports/sales?year={year}&group_by=month"),
                  iterations=30, goal="p95 < 300 ms"),
        TimedCase(name="reports XLSX: year by producer", run=get("/reports/export/producer.xlsx?year={year}"),
                  iterations=5, goal="< 5 s"),
        TimedCase(name="rollup: add a day's till sales", run=add_day, setup=add_day_setup, iterations=15,
                  goal="< 50 ms", extra=info),
        TimedCase(name="rollup: add a minute's sales (5)", run=add_minute, iterations=20, goal="-"),
    ]  # fmt: skip
