"""Import the bank's statement (CSV) and print the daily close of each day it covers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from otop.core.errors import DomainError
from otop.payments import services
from otop.payments.selectors import daily_close


class Command(BaseCommand):
    help = "Import a bank statement CSV (optional) and say for each day whether all money matched."

    def add_arguments(self, parser) -> None:
        parser.add_argument("statement", nargs="?", help="the statement CSV as the bank exports it")
        parser.add_argument("--day", action="append", default=[], help="a day to close (YYYY-MM-DD); repeatable")

    def handle(self, *args, statement: str | None, day: list[str], **options) -> None:
        days: set[date] = set()
        if statement:
            path = Path(statement)
            try:
                imported = services.import_statement(data=path.read_bytes(), file_name=path.name, actor=None)
            except OSError as error:
                raise CommandError(f"cannot read {statement}: {error}") from None
            except DomainError as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"{imported.lines_read} credits read, {imported.lines_new} new")
            days |= {timezone.localtime(line.booked_at).date() for line in imported.lines.all()}
        try:
            days |= {date.fromisoformat(text) for text in day}
        except ValueError:
            raise CommandError("--day is YYYY-MM-DD") from None
        unmatched = 0
        for one in sorted(days or {timezone.localdate()}):
            close = daily_close(one)
            if close.all_matched:
                self.stdout.write(f"{one}: all money matched ({len(close.matched)} credits)")
                continue
            unmatched += close.unmatched_count
            self.stdout.write(f"{one}: {len(close.matched)} matched, not matched:")
            for payment in close.missing:
                self.stdout.write(f"  missing   {payment.amount:>12} payment {payment.pk} Ref1 {payment.ref1 or '-'}")
            for line in close.unexpected:
                self.stdout.write(f"  unexpected {line.amount:>11} {line.description}")
            if not close.has_statement:
                self.stdout.write("  no statement line of this day was imported")
        if unmatched:
            raise CommandError(f"{unmatched} items not matched")
