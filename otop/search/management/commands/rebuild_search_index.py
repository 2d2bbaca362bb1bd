import time

from django.core.management.base import BaseCommand

from otop.search.services import rebuild_search_index


class Command(BaseCommand):
    help = "Index every product again for search (after bulk imports or a change of vocabulary)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild_search_index()
        self.stdout.write(f"Indexed {count} products in {time.monotonic() - started:.1f} s.")
