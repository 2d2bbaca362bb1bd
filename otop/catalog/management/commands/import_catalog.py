from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from otop.catalog.csvio import import_catalog, stock_locations


class Command(BaseCommand):
    help = "Import products from a UTF-8 CSV file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, save nothing.")
        parser.add_argument("--language", choices=["th", "en"], default="th", help="Language of the report.")
        parser.add_argument(
            "--stock-location",
            choices=list(stock_locations()),
            default="backstore",
            help="Where the `stock` column's goods are (received through the inventory ledger).",
        )

    def handle(self, *args, file: Path, dry_run: bool, language: str, stock_location: str, **options):
        with translation.override(language):
            try:
                data = file.read_bytes()
            except OSError as error:
                raise CommandError(str(error)) from None
            report = import_catalog(data=data, dry_run=dry_run, stock_location=stock_location)
            for problem in report.problems:
                where = _("line %(line)s") % {"line": problem.line} if problem.line else _("file")
                column = f" [{problem.column}]" if problem.column else ""
                self.stderr.write(f"{where}{column}: {problem.message()}")
            if not report.ok:
                raise CommandError(
                    _("Nothing was imported: %(count)s rows have problems.") % {"count": len(report.bad_lines) or 1}
                )
            summary = _("%(created)s products created, %(updated)s updated, %(producers)s new producers.") % {
                "created": report.created,
                "updated": report.updated,
                "producers": report.producers_created,
            }
            if dry_run:
                summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
            self.stdout.write(summary)
