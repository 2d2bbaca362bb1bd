"""Tell producers and staff about certifications that expire within 60 days (run daily, e.g. from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from otop.producers.services import EXPIRY_WARNING_DAYS, flag_expiring_certifications


class Command(BaseCommand):
    help = "Flag certifications expiring within 60 days to their producers and the center's staff."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=EXPIRY_WARNING_DAYS)

    def handle(self, *args, **options):
        flagged = flag_expiring_certifications(within_days=options["days"])
        self.stdout.write(f"{flagged} certification(s) flagged")
