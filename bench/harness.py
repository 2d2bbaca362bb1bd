"""What benchmark cases are made of. Apps add cases in otop/<app>/bench.py:

    def http_cases(context: Context) -> list[HttpCase]      # pages, measured with wrk
    def timed_cases(context: Context) -> list[TimedCase]    # server functions, timed in-process
    def check_cases(context: Context) -> list[CheckCase]    # properties that must hold under load

All are optional. Timed and check cases run with Django set up on the same seeded database, after the
page server has stopped: a case that needs the real server starts its own with `served()`.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Context:
    base_url: str
    products: int
    database: str  # "sqlite" or "postgresql"


@dataclass(frozen=True)
class HttpCase:
    name: str
    path: str
    # A goal to print beside the figure, e.g. "p50 < 10 ms" (the harness does not judge it).
    goal: str = ""


@dataclass
class TimedCase:
    name: str
    run: Callable[[int], object]  # called with the iteration number
    iterations: int = 200
    setup: Callable[[], object] | None = None
    goal: str = ""
    extra: dict = field(default_factory=dict)
    teardown: Callable[[], object] | None = None  # after the last iteration, not timed


@dataclass
class CheckCase:
    """Something that must hold (e.g. exactly once under concurrency): `run` returns the figures to print,
    with "ok" saying whether it held. A check that does not hold makes `make bench` fail."""

    name: str
    run: Callable[[], dict]
    goal: str = ""


@dataclass(frozen=True)
class Timing:
    name: str
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    goal: str


@contextmanager
def served(base_url: str, *, env: dict[str, str] | None = None, threads: int = 0) -> Iterator[str]:
    """The real server (gunicorn, 2 workers, DEBUG off) on `base_url`'s port while the block runs.

    It gets the bench's environment (DATABASE_URL, DEBUG, ...) with `env` on top, e.g. the address of a
    fake outside service; `threads` > 0 runs gthread workers as deploy/systemd/otop-web@.service does.
    Answers `/healthz` before the block starts; stopped (SIGTERM) after it.
    """
    port = urlsplit(base_url).port
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "otop.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--log-level", "warning"]
    if threads:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})
    try:
        for _attempt in range(150):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {server.returncode}") from None
                time.sleep(0.2)
        yield base_url
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def time_case(case: TimedCase) -> Timing:
    if case.setup:
        case.setup()
    samples = []
    try:
        for iteration in range(case.iterations):
            started = time.perf_counter()
            case.run(iteration)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        if case.teardown:
            case.teardown()
    samples.sort()

    def percentile(p: float) -> float:
        return samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))]

    return Timing(
        name=case.name,
        count=len(samples),
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
        mean_ms=statistics.fmean(samples),
        goal=case.goal,
    )
