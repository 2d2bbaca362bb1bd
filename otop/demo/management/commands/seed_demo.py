import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from otop.demo.services import seed_demo


class Command(BaseCommand):
    help = "Load the demo center (idempotent): staff of every role, producers, products."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300, help="How many demo products in all.")

    def handle(self, *args, products, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded when DJANGO_ENV=production.")
        if products < 0:
            raise CommandError("--products must be 0 or more.")
        started = time.monotonic()
        report = seed_demo(products=products)
        if report.products_created:
            _refresh_planner_statistics()
        self.stdout.write(
            f"Demo data: {report.accounts_created} accounts, {report.producers_created} producers and "
            f"{report.products_created} products added in {time.monotonic() - started:.1f} s."
        )


def _refresh_planner_statistics() -> None:
    """After a bulk load, let the database see the new rows' spread now rather than at its next
    automatic pass (PostgreSQL's VACUUM also marks the pages all-visible, which lets counts read indexes
    only; it cannot run inside a transaction, as in the tests)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
