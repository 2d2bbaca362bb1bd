"""`manage.py build_feeds`: write the Meta and Google catalogue feeds now (`--if-changed`: only when the
catalogue or stock changed since the last build)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from otop.channels.feeds.build import build_feeds, refresh_feeds


class Command(BaseCommand):
    help = "Build the catalogue feeds (Meta CSV/XML, the English override, Google) into the storage."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-changed", action="store_true", help="Only when the catalogue or stock changed.")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if options["if_changed"]:
            built = refresh_feeds()
            self.stdout.write("built" if built else "unchanged")
            return
        builds = build_feeds()
        for build in builds:
            self.stdout.write(f"{build.kind}: {build.rows} rows, {build.size} bytes → {build.name}")
        self.stdout.write(f"{time.monotonic() - started:.1f} s")
