"""Run the retention rules now; --dry-run only reports what would be forgotten."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from otop.privacy.retention import run_retention


class Command(BaseCommand):
    help = "Forget personal data past its retention time (rules in apply mode); --dry-run only counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would be forgotten, change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        for line in run_retention(dry_run=dry_run):
            self.stdout.write(line)
