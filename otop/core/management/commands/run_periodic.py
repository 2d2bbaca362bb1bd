"""Run the apps' periodic jobs (otop/<app>/schedule.py) for as long as the server runs.

Any number of these may run (one beside each app server): each job runs once per interval in all,
under its lock (otop/core/periodic.py).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from otop.core.periodic import all_jobs, clock_name, job_lock, record_finish, start_if_due

logger = logging.getLogger("otop.periodic")


class Command(BaseCommand):
    help = "Run periodic jobs: unpaid orders expiring, booking reminders, certification warnings."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every due job once and stop.")
        parser.add_argument("--tick", type=float, default=30.0, help="Seconds between looks at the clock.")
        parser.add_argument(
            "--speed",
            type=float,
            default=1.0,
            help="Run every job this many times as often (drills and tests: 60 makes a minute a second).",
        )
        parser.add_argument("--only", action="append", default=[], help="Run only the jobs of these names.")

    def handle(self, *args, once: bool, tick: float, speed: float, only: list[str], **options):
        if speed <= 0:
            raise CommandError("--speed must be above 0")
        jobs = [job for job in all_jobs() if not only or job.name in only]
        if only and len(jobs) != len(set(only)):
            raise CommandError(f"no such job among: {sorted(job.name for job in all_jobs())}")
        owner = clock_name()
        while True:
            if not once:  # a long-running loop drops connections the database has closed meanwhile
                close_old_connections()
            for job in jobs:
                with job_lock(job.name, owner=owner) as locked:
                    if not locked:
                        continue
                    every = timedelta(seconds=job.every.total_seconds() / speed)
                    if not start_if_due(job, owner=owner, now=timezone.now(), every=every):
                        continue
                    try:
                        result = job.run()
                    except Exception:  # one failing job must not stop the others; the log says which
                        logger.exception("periodic job %s failed", job.name)
                        record_finish(job, failed=True)
                        continue
                    record_finish(job, failed=False)
                logger.info("periodic job %s ran", job.name, extra={"job": job.name, "clock": owner})
                self.stdout.write(f"{job.name}: {result}")
                self.stdout.flush()
            if once:
                return
            time.sleep(tick)
