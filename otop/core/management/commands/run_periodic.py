"""Run the apps' periodic jobs (otop/<app>/schedule.py) for as long as the server runs."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from otop.core.periodic import all_jobs, due

logger = logging.getLogger("otop.periodic")


class Command(BaseCommand):
    help = "Run periodic jobs: unpaid orders expiring, booking reminders, certification warnings."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between looks at the clock.")

    def handle(self, *args, once: bool, tick: float, **options):
        jobs = all_jobs()
        last_run: dict = {}
        while True:
            for job in due(jobs, last_run, timezone.now()):
                last_run[job.name] = timezone.now()
                if not once:  # a long-running loop drops connections the database has closed meanwhile
                    close_old_connections()
                try:
                    result = job.run()
                except Exception:  # one failing job must not stop the others; the log says which
                    logger.exception("periodic job %s failed", job.name)
                    continue
                self.stdout.write(f"{job.name}: {result}")
            if once:
                return
            time.sleep(tick)
