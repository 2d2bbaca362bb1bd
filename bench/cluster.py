"""`make bench`'s cluster run: the story page, search and order placement through nginx with two app servers,
beside the same cases on one app server alone, with where the time goes.

Run under scripts/with_postgres.sh (it gives DATABASE_URL); the set-up is the multi-server test's
(tests/cluster/harness.py): Redis, the S3 API server, two gunicorn servers (2 workers × 8 threads each) and nginx
with deploy/nginx/otop.conf over TLS. No task workers or clocks run: the figures are the web tier's.

Environment: BENCH_PRODUCTS (default 5000), BENCH_SECONDS per case and route (default 10), BENCH_CONNECTIONS
(default 16). Each case runs twice: through nginx (both app servers) and straight to app server A (one server,
no proxy), on the same database at the same moment. The single-server figures of `python -m bench.run` on
PostgreSQL (var/bench/results-postgresql.json) are printed beside them when they were taken at the same size.

Where the time goes, per request (means, so the parts add up):
- nginx: $request_time less $upstream_response_time (TLS, reading the request, sending the answer);
- to the app server and back: $upstream_response_time less the app server's own time (connecting, waiting for
  a free gunicorn thread);
- Python: the app server's time (bench/gunicorn_timing.py) less its SQL and Redis time;
- PostgreSQL and Redis: every statement and cache call, timed in the app server (waits included).
And the CPU each process spent per request (/proc: nginx, each app server, PostgreSQL, Redis, wrk), which on a
shared machine says more than the wall times. The load average is printed beside every figure.
Results are written to var/bench/results-cluster.json; the logs stay in var/bench/cluster-<products>-<random>/.
"""

from __future__ import annotations

import json
import os
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
CASES = ("story page (th)", "search ผ้าไหม", "search sai krok")
ORDER_CASE = "order placement (API, 1 line)"
TICKS = os.sysconf("SC_CLK_TCK")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
UNVERIFIED = ssl._create_unverified_context()  # nginx's certificate is made for the run


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None, headers=()) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    text = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def milliseconds(pattern: str) -> float:
        match = re.search(pattern, text, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "mean_ms": milliseconds(r"^\s*Latency\s+([\d.]+)(us|ms|s)\s"),
        "p50_ms": milliseconds(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$"),
        "p99_ms": milliseconds(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


# --- CPU per process tree, from /proc -----------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command name, CPU seconds of the process and of its children it has reaped)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[0] is the state (field 3 of proc(5)): utime, stime, cutime, cstime are fields 14–17.
        cpu = sum(int(value) for value in fields[11:15]) / TICKS
        found[int(entry.name)] = (int(fields[1]), name, cpu)
    return found


def cpu_seconds(roots: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process and everything under it."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _name, _cpu) in processes.items():
        children.setdefault(parent, []).append(pid)
    totals = {}
    for label, root in roots.items():
        total, stack = 0.0, [root]
        while stack:
            pid = stack.pop()
            if pid in processes:
                total += processes[pid][2]
                stack.extend(children.get(pid, []))
        totals[label] = total
    return totals


def component_roots(cluster, database_url: str) -> dict[str, int]:
    socket_dir = urllib.parse.parse_qs(urllib.parse.urlsplit(database_url).query)["host"][0]
    postmaster = int((Path(socket_dir) / "data" / "postmaster.pid").read_text().split()[0])
    redis = next(
        pid for pid, (parent, name, _cpu) in _processes().items() if parent == os.getpid() and name == "redis-server"
    )
    return {
        "nginx": cluster.processes["nginx"].popen.pid,
        "app A": cluster.processes["a"].popen.pid,
        "app B": cluster.processes["b"].popen.pid,
        "PostgreSQL": postmaster,
        "Redis": redis,
    }


# --- the logs: nginx's timing format and the app servers' lines ---------------------------------------------


class Tail:
    """The lines a log gained since the last call."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset = path, 0

    def new_lines(self) -> list[str]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return complete.decode(errors="replace").splitlines()


def _seconds(field: str) -> float:
    """$upstream_response_time: '0.004', or '0.002, 0.004' after a retry, or '-' when no server answered."""
    return sum(float(part) for part in field.replace(" ", "").split(",") if part not in {"", "-"})


def nginx_lines(lines: list[str], path: str) -> list[dict]:
    found = []
    for line in lines:
        parts = line.split("|", 7)
        if len(parts) == 8 and parts[-1] == path:
            found.append(
                {
                    "request_id": parts[0],
                    "status": int(parts[1]),
                    "total_ms": float(parts[2]) * 1000,
                    "upstream_ms": _seconds(parts[3]) * 1000,
                }
            )
    return found


def app_lines(lines: list[str], method: str, path: str) -> list[dict]:
    wanted = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry["method"] == method and entry["path"] == wanted:
            found.append(entry)
    return found


def _mean(values) -> float:
    values = list(values)
    return round(statistics.fmean(values), 2) if values else float("nan")


def _p50(values) -> float:
    values = list(values)
    return round(statistics.median(values), 2) if values else float("nan")


def time_split(proxy: list[dict], app: list[dict], client_mean_ms: float) -> dict:
    """The mean parts of the requests that were answered: through nginx, its line and the app server's line
    of the same request id (a request wrk left unanswered when its time was up is in neither mean)."""
    answered = [entry for entry in app if entry["status"] < 400]
    if proxy:
        by_id = {entry["request_id"]: entry for entry in answered}
        proxy = [entry for entry in proxy if entry["status"] < 400 and entry["request_id"] in by_id]
        answered = [by_id[entry["request_id"]] for entry in proxy]
    app = answered
    app_mean = _mean(entry["app_ms"] for entry in app)
    db_mean = _mean(entry["db_ms"] for entry in app)
    cache_mean = _mean(entry["cache_ms"] for entry in app)
    split = {
        "client (wrk) mean ms": round(client_mean_ms, 2),
        "app server mean ms": app_mean,
        "app server p50 ms": _p50(entry["app_ms"] for entry in app),
        "python mean ms": round(app_mean - db_mean - cache_mean, 2),
        "postgresql mean ms": db_mean,
        "postgresql p50 ms": _p50(entry["db_ms"] for entry in app),
        "queries per request": _mean(entry["queries"] for entry in app),
        "redis mean ms": cache_mean,
        "redis calls per request": _mean(entry["cache_calls"] for entry in app),
        "answered requests in the split": len(app),
        "of which by app server": {},
    }
    for entry in app:
        split["of which by app server"].setdefault(entry["server"], 0)
        split["of which by app server"][entry["server"]] += 1
    if proxy:
        total, upstream = _mean(e["total_ms"] for e in proxy), _mean(e["upstream_ms"] for e in proxy)
        split.update(
            {
                "nginx request_time mean ms": total,
                "nginx request_time p50 ms": _p50(e["total_ms"] for e in proxy),
                "upstream_response_time mean ms": upstream,
                "upstream_response_time p50 ms": _p50(e["upstream_ms"] for e in proxy),
                "nginx own mean ms": round(total - upstream, 2),
                "to the app server and back mean ms": round(upstream - app_mean, 2),
            }
        )
    else:
        split["to the app server and back mean ms"] = round(client_mean_ms - app_mean, 2)
    return split


# --- the run --------------------------------------------------------------------------------------------------


ORDER_PRODUCTS = 200


def order_body(sku: str) -> str:
    return json.dumps(
        {
            "items": [{"sku": sku, "qty": 1}],
            "customer": {"name": "ผู้ซื้อทดสอบความเร็ว", "phone": "0812345678", "email": ""},
            "delivery": {"method": "pickup"},
            "payment_method": "promptpay",
        }
    )


def order_script(directory: Path, skus: list[str]) -> Path:
    """One order of one unit per request, of one of the products in turn, each from its own client address
    (the API takes 20 orders a minute from one address)."""
    head, tail = order_body("@SKU@").split("@SKU@")
    script = directory / "order.lua"
    script.write_text(
        f"local head, tail = [[{head}]], [[{tail}]]\n"
        "local skus = {" + ", ".join(f"'{sku}'" for sku in skus) + "}\n"
        "local threads = 0\n"
        "local counter = 0\n"
        "function setup(thread)\n"
        "  threads = threads + 1\n"
        "  thread:set('number', threads)\n"
        "end\n"
        "function request()\n"
        "  counter = counter + 1\n"
        "  local sku = skus[(counter * 7 + number * 101) % #skus + 1]\n"
        "  local address = string.format('10.%d.%d.%d', number, math.floor(counter / 250) % 250, counter % 250 + 1)\n"
        "  return wrk.format('POST', '/api/v1/orders', {['Content-Type'] = 'application/json',\n"
        "    ['X-Forwarded-Proto'] = 'https', ['X-Forwarded-For'] = address}, head .. sku .. tail)\n"
        "end\n"
    )
    return script


def prepare_orders() -> list[str]:
    """Listed products with stock for every order of the run, and a PromptPay ID for the centre."""
    from django.core.cache import cache

    from otop.catalog.models import Product, Variant
    from otop.core.models import CenterProfile
    from otop.inventory import services as inventory
    from otop.inventory.models import Location

    variants = list(
        Variant.objects.filter(
            is_active=True, product__status=Product.Status.LISTED, product__is_basket=False
        ).order_by("pk")[:ORDER_PRODUCTS]
    )
    shelf = Location.objects.filter(sells_online=True).order_by("reserve_priority").first()
    for variant in variants:
        inventory.receive_stock(variant=variant, location=shelf, quantity=100_000, actor=None, reference="bench")
    CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).update(promptpay_id="0801234567")
    cache.clear()
    return [variant.sku for variant in variants]


class DatabaseSampler(threading.Thread):
    """What PostgreSQL's busy backends are doing, sampled every 50 ms: on the CPU (no wait event), waiting for a
    lock (another transaction holds the row; with the table the waiting statement reads), for I/O, and so on."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.done = threading.Event()
        self.samples = 0
        self.busy: dict[str, int] = {}

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.done.is_set():
                    cursor.execute(
                        "SELECT coalesce(wait_event_type, 'CPU'), query FROM pg_stat_activity"
                        " WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()"
                    )
                    for kind, query in cursor.fetchall():
                        if kind == "Lock":  # which table's rows the waiting statement wants
                            table = re.search(r'(?:FROM|UPDATE|INTO) "(\w+)"', query)
                            kind = f"Lock on {table.group(1) if table else '?'}"
                        self.busy[kind] = self.busy.get(kind, 0) + 1
                    self.samples += 1
                    time.sleep(0.05)
        finally:
            connection.close()

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.join()
        return {kind: round(count / max(1, self.samples), 2) for kind, count in sorted(self.busy.items())}


def single_server_figures(products: int) -> dict[str, dict]:
    path = BENCH_DIR / "results-postgresql.json"
    if not path.exists():
        return {}
    results = json.loads(path.read_text())
    if results.get("products") != products:
        return {}
    return {row["name"]: row for row in results.get("http", [])}


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("bench.cluster runs on PostgreSQL: scripts/with_postgres.sh .venv/bin/python -m bench.cluster")
        return 2
    products = int(os.environ.get("BENCH_PRODUCTS", "5000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # Each run its own folder (two runs at once must not share logs or metrics folders).
    workdir = Path(tempfile.mkdtemp(prefix=f"cluster-{products}-", dir=BENCH_DIR))

    from otop.core.tests import servers
    from tests.cluster.harness import MEDIA_BUCKET, PRIVATE_BUCKET, PYTHON, Cluster, run

    with (
        servers.redis_server() as redis_url,
        servers.s3_server(buckets=(PRIVATE_BUCKET,), public_buckets=(MEDIA_BUCKET,)) as s3_endpoint,
    ):
        cluster = Cluster(workdir=workdir, database_url=database_url, redis_url=redis_url, s3_endpoint=s3_endpoint)
        cluster.nginx_port = servers.free_port()
        os.environ.update(cluster.environment())
        import django

        django.setup()
        try:
            return measure(cluster, products, seconds, connections, run, PYTHON)
        finally:
            cluster.stop()


def measure(cluster, products: int, seconds: int, connections: int, run, python: str) -> int:
    from bench.harness import Context

    started = time.monotonic()
    print(f"== cluster bench: {products} products, load average {load()}", flush=True)
    cluster.manage("migrate", "--noinput", "-v0")
    print(f"migrated in {time.monotonic() - started:.0f} s, load average {load()}", flush=True)
    seeding = time.monotonic()
    # Seeded as bench.run seeds: tasks run inline, so the search index is complete before the first request.
    # seed_demo refuses a production set-up, so it runs as development against the same database and cache.
    run(
        [python, "manage.py", "seed_demo", "--products", str(products)],
        cwd=ROOT,
        env=cluster.environment(
            DJANGO_ENV="development", TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
        ),
    )
    print(f"seeded {products} products in {time.monotonic() - seeding:.0f} s, load average {load()}", flush=True)
    skus = prepare_orders()

    timing_logs = {name: cluster.workdir / f"app-timing-{name}.log" for name in ("a", "b")}
    for name in ("a", "b"):
        cluster.start_app_server(
            name, "-c", str(ROOT / "bench" / "gunicorn_timing.py"), BENCH_TIMING_LOG=str(timing_logs[name])
        )
    cluster.start_nginx()
    cluster.wait_until_up()
    cluster.warm_up()
    roots = component_roots(cluster, cluster.database_url)

    from otop.storefront.bench import http_cases

    context = Context(base_url=cluster.site, products=products, database="postgresql")
    cases = [(case.name, "GET", case.path, case.goal) for case in http_cases(context) if case.name in CASES]
    cases.append((ORDER_CASE, "POST", "/api/v1/orders", ""))
    script = order_script(cluster.workdir, skus)
    routes = {"nginx, app servers A+B": cluster.site, "app server A alone": cluster.app_url("a")}
    earlier = single_server_figures(products)
    proxy_log = Tail(cluster.workdir / "nginx" / "access.log")
    app_logs = {name: Tail(path) for name, path in timing_logs.items()}

    results: dict = {
        "products": products,
        "machine": f"{os.cpu_count()} cores",
        "seconds": seconds,
        "connections": connections,
        "rows": [],
    }
    print(
        f"\n{'page':<32} {'route':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  load average  (goal)",
        flush=True,
    )
    for name, method, path, goal in cases:
        for route, base in routes.items():
            # Warm up: first one request after another, as long as each takes (a worker's first search loads
            # the Thai dictionaries), then the same load for a moment, so every thread of both servers has its
            # database connection and caches before the measured run.
            for warm in range(8):
                request = urllib.request.Request(
                    base + path,
                    data=order_body(skus[warm]).encode() if method == "POST" else None,
                    headers={
                        "X-Forwarded-Proto": "https",
                        "X-Forwarded-For": f"10.200.{len(results['rows'])}.{warm + 1}",
                        "Content-Type": "application/json",
                    },
                )
                urllib.request.urlopen(request, timeout=120, context=UNVERIFIED).read()
            wrk(
                base + path,
                seconds=2,
                connections=connections,
                script=script if method == "POST" else None,
                headers=() if method == "POST" else ("X-Forwarded-Proto: https",),
            )
            time.sleep(0.5)
            proxy_log.new_lines()
            for tail in app_logs.values():
                tail.new_lines()
            before, load_before = cpu_seconds(roots), load()
            usage_before = os.times()
            sampler = DatabaseSampler()
            sampler.start()
            row = wrk(
                base + path,
                seconds=seconds,
                connections=connections,
                script=script if method == "POST" else None,
                headers=() if method == "POST" else ("X-Forwarded-Proto: https",),
            )
            usage_after = os.times()
            database_busy = sampler.stop()
            after = cpu_seconds(roots)
            time.sleep(0.5)  # the last lines reach the logs
            app = [
                {**entry, "server": server}
                for server, tail in app_logs.items()
                for entry in app_lines(tail.new_lines(), method, path)
            ]
            proxy = nginx_lines(proxy_log.new_lines(), path) if base == cluster.site else []
            cpu = {label: (after[label] - before[label]) for label in roots}
            cpu["wrk"] = (usage_after.children_user + usage_after.children_system) - (
                usage_before.children_user + usage_before.children_system
            )
            count = max(1, row["requests"])
            result = {
                "name": name,
                "route": route,
                "method": method,
                "path": path,
                "goal": goal,
                **row,
                "load average": f"{load_before} → {load()}",
                "time split": time_split(proxy, app, row["mean_ms"]),
                "postgresql backends busy (mean of 50 ms samples)": database_busy,
                "cpu ms per request": {label: round(value * 1000 / count, 2) for label, value in cpu.items()},
            }
            results["rows"].append(result)
            print(
                f"{name:<32} {route:<24} {row['requests_per_s']:>9.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
                f"{row['errors']:>8}  {result['load average']}  {f'({goal})' if goal else ''}",
                flush=True,
            )
        if name in earlier:
            single = earlier[name]
            print(
                f"{name:<32} {'bench.run, one server':<24} {single['requests_per_s']:>9.1f} {single['p50_ms']:>8.2f} "
                f"{single['p99_ms']:>8.2f} {single['errors']:>8}  (var/bench/results-postgresql.json)",
                flush=True,
            )

    print_split(results["rows"])
    output = BENCH_DIR / "results-cluster.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten to {output.relative_to(ROOT)}; logs in {cluster.workdir.relative_to(ROOT)}/")
    return 0


def print_split(rows: list[dict]) -> None:
    print("\nwhere the time goes (mean ms per request; nginx and upstream from nginx's log, the rest from the app)")
    print(
        f"{'page':<32} {'route':<24} {'client':>7} {'nginx':>7} {'to app':>7} {'python':>7} {'pg':>7} "
        f"{'redis':>7} {'queries':>8} {'A/B':>9}"
    )
    for row in rows:
        split = row["time split"]
        servers = split["of which by app server"]
        print(
            f"{row['name']:<32} {row['route']:<24} {split['client (wrk) mean ms']:>7.1f} "
            f"{split.get('nginx own mean ms', 0.0):>7.1f} {split['to the app server and back mean ms']:>7.1f} "
            f"{split['python mean ms']:>7.1f} {split['postgresql mean ms']:>7.1f} {split['redis mean ms']:>7.1f} "
            f"{split['queries per request']:>8.1f} {servers.get('a', 0):>4}/{servers.get('b', 0):<4}"
        )
    print(
        "\nCPU ms per request (/proc, each process tree; wrk is the load generator); capacity: the requests a"
        f" second that {os.cpu_count()} cores to ourselves would give at this CPU cost"
    )
    labels = list(rows[0]["cpu ms per request"]) if rows else []
    print(f"{'page':<32} {'route':<24} " + " ".join(f"{label:>10}" for label in labels) + f" {'total':>7} capacity")
    for row in rows:
        cpu = row["cpu ms per request"]
        total = sum(cpu.values())
        print(
            f"{row['name']:<32} {row['route']:<24} "
            + " ".join(f"{cpu[label]:>10.2f}" for label in labels)
            + f" {total:>7.2f} {os.cpu_count() * 1000 / total if total else float('nan'):>8.0f}"
        )
    print("\nPostgreSQL backends busy at once (mean of 50 ms samples: CPU = running, Lock = waiting for a row lock)")
    for row in rows:
        busy = row["postgresql backends busy (mean of 50 ms samples)"]
        print(f"{row['name']:<32} {row['route']:<24} " + ", ".join(f"{kind} {n}" for kind, n in busy.items()))


if __name__ == "__main__":
    sys.exit(main())
