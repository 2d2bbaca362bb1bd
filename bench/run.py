"""`make bench`: seed a catalogue, start the real server (gunicorn, DEBUG off) and measure.

Environment: BENCH_PRODUCTS (default 5000), BENCH_SECONDS per page (default 10),
BENCH_CONNECTIONS (default 16), BENCH_DATABASE_URL (default: an SQLite file under var/bench/),
BENCH_APPS (only these apps' cases, e.g. search,catalog).
Results are printed and written to var/bench/results-<database>.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict

from bench.harness import ROOT, CheckCase, Context, HttpCase, TimedCase, served, time_case

PORT = int(os.environ.get("BENCH_PORT", "8099"))


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="otop.settings",
        DEBUG="false",
        DATABASE_URL=database_url,
        TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        # Task and worker lines (INFO) would bury the figures; LOG_LEVEL=INFO make bench shows them.
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wrk(url: str, seconds: int, connections: int) -> dict:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
        return float(match.group(1)) * units[match.group(2)] if match else float("nan")

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return {
        "requests_per_s": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def main() -> int:
    products = int(os.environ.get("BENCH_PRODUCTS", "5000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database_url = (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or (f"sqlite:///{bench_dir / f'bench-{products}.sqlite3'}")
    )
    database = "postgresql" if database_url.startswith("postgres") else "sqlite"
    env = _env(database_url)
    started = time.monotonic()
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "seed_demo", "--products", str(products))
    print(f"seeded {products} products on {database} in {time.monotonic() - started:.1f} s", flush=True)

    os.environ.update(env)
    import django

    django.setup()
    context = Context(base_url=f"http://127.0.0.1:{PORT}", products=products, database=database)
    from otop.core.discovery import feature_modules

    modules = list(feature_modules("bench"))
    if os.environ.get("BENCH_APPS"):  # e.g. BENCH_APPS=search,catalog: measure only these apps
        wanted = {f"otop.{app.strip()}.bench" for app in os.environ["BENCH_APPS"].split(",")}
        modules = [m for m in modules if m.__name__ in wanted]
    http_cases: list[HttpCase] = [case for m in modules if hasattr(m, "http_cases") for case in m.http_cases(context)]
    timed_cases: list[TimedCase] = [
        case for m in modules if hasattr(m, "timed_cases") for case in m.timed_cases(context)
    ]
    check_cases: list[CheckCase] = [
        case for m in modules if hasattr(m, "check_cases") for case in m.check_cases(context)
    ]

    results: dict = {
        "database": database,
        "products": products,
        "machine": f"{os.cpu_count()} cores",
        "http": [],
        "timed": [],
        "checks": [],
    }
    with served(context.base_url):
        print(f"\n{'page':<32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  goal")
        for case in http_cases:
            for _warm in range(20):  # every worker loads its caches (and Thai dictionaries) first
                urllib.request.urlopen(context.base_url + case.path, timeout=30).read()
            row = _wrk(context.base_url + case.path, seconds, connections)
            results["http"].append({"name": case.name, "path": case.path, "goal": case.goal, **row})
            print(
                f"{case.name:<32} {row['requests_per_s']:>9.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
                f"{row['errors']:>8}  {case.goal}",
                flush=True,
            )

    if timed_cases:
        print(f"\n{'timing (in-process, or over HTTP)':<40} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  goal")
        for case in timed_cases:
            timing = time_case(case)
            results["timed"].append({**asdict(timing), **case.extra})
            print(
                f"{timing.name:<40} {timing.count:>5} {timing.p50_ms:>8.2f} {timing.p95_ms:>8.2f} "
                f"{timing.p99_ms:>8.2f}  {timing.goal}",
                flush=True,
            )
            for key, value in case.extra.items():
                print(f"    {key}: {value}")

    failed = []
    for case in check_cases:
        print(f"\n{case.name}  ({case.goal})", flush=True)
        figures = case.run()
        results["checks"].append({"name": case.name, "goal": case.goal, **figures})
        for key, value in figures.items():
            print(f"    {key}: {value}")
        if not figures.get("ok"):
            failed.append(case.name)
            print("    FAILED", flush=True)

    output = bench_dir / f"results-{database}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten to {output.relative_to(ROOT)}")
    if failed:
        print(f"checks that did not hold on {database}: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
