"""What benchmark cases are made of. Apps add cases in otop/<app>/bench.py:

    def http_cases(context: Context) -> list[HttpCase]      # pages, measured with wrk
    def timed_cases(context: Context) -> list[TimedCase]    # server functions, timed in-process

Both are optional. Timed cases run with Django set up on the same seeded database.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class Timing:
    name: str
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    goal: str


def time_case(case: TimedCase) -> Timing:
    if case.setup:
        case.setup()
    samples = []
    for iteration in range(case.iterations):
        started = time.perf_counter()
        case.run(iteration)
        samples.append((time.perf_counter() - started) * 1000)
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
