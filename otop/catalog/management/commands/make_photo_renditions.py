from __future__ import annotations

from django.core.management.base import BaseCommand

from otop.catalog.services import make_missing_renditions


class Command(BaseCommand):
    help = "Make the page sizes (WebP and JPEG renditions) of product photos stored before they existed."

    def handle(self, *args, **options):
        count = make_missing_renditions()
        self.stdout.write(f"Renditions made for {count} photos.")
