from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from otop.catalog.csvio import export_catalog_csv


class Command(BaseCommand):
    help = "Write the catalog as CSV in the import format (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, file: Path | None, **options):
        text = export_catalog_csv()
        if file is None:
            sys.stdout.write(text)
        else:
            file.write_text(text, encoding="utf-8")
