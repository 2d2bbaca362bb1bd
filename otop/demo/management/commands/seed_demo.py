import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        self.stdout.write(
            f"Demo data: {report.accounts_created} accounts, {report.producers_created} producers and "
            f"{report.products_created} products added in {time.monotonic() - started:.1f} s."
        )
