from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from otop.reports.generate import generate_lines
from otop.reports.rollup import rebuild_sales_rollup


class Command(BaseCommand):
    help = (
        "Benchmarks only: write many raw till sale lines (default 5,000,000 over two years), then rebuild the rollup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=5_000_000)
        parser.add_argument("--days", type=int, default=730)
        parser.add_argument("--no-rollup", action="store_true")

    def handle(self, *args, lines: int, days: int, no_rollup: bool, **options):
        started = time.monotonic()
        written = generate_lines(lines=lines, days=days)
        self.stdout.write(f"{written} sold lines written in {time.monotonic() - started:.1f} s")
        if not no_rollup:
            started = time.monotonic()
            added = rebuild_sales_rollup()
            self.stdout.write(f"rollup rebuilt from {added} documents in {time.monotonic() - started:.1f} s")
