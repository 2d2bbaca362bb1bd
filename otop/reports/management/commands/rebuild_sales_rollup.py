from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from otop.reports.rollup import rebuild_sales_rollup


class Command(BaseCommand):
    help = "Rebuild the daily sales rollup from the raw sales and returns (all of it, or from a date's month)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", help="YYYY-MM-DD: rebuild from the first of this month on")

    def handle(self, *args, since: str | None = None, **options):
        day = None
        if since:
            try:
                day = date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"not a date: {since!r} (use YYYY-MM-DD)") from None
        added = rebuild_sales_rollup(since=day)
        self.stdout.write(f"{added} documents added to the rollup")
