"""Reading a bank statement as Thai banks export it (CSV) into its credits.

Thai internet banking exports a few lines about the account, then a header row and one row per
transaction: date, time, the kind of transaction, withdrawal, deposit, balance, channel and details,
with Thai or English headers, in UTF-8 (often with a BOM) or Windows-874 (TIS-620), dates as
DD/MM/YYYY in the Buddhist era (2569) or the Christian one (2026), or with a two-digit Buddhist year (69).
Only credits (deposits) matter for money in; the file is read all or nothing (StatementUnreadable names
the line).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from otop.core.errors import DomainError

BANGKOK = ZoneInfo("Asia/Bangkok")
MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Header names as the banks write them (compared without spaces, case or a trailing "(บาท)" / "(THB)").
COLUMNS = {
    "date": {"date", "วันที่", "วันที่ทำรายการ", "transactiondate", "วันที่รายการ"},
    "time": {"time", "เวลา", "เวลาทำรายการ"},
    "deposit": {"deposit", "credit", "ฝาก", "ฝากเงิน", "เงินฝาก", "เงินเข้า", "จำนวนเงินฝาก", "depositamount"},
    "description": {"description", "รายการ", "ประเภทรายการ", "transaction", "code"},
    "details": {"details", "รายละเอียด", "ข้อมูลเพิ่มเติม", "remark", "note", "หมายเหตุ"},
    "channel": {"channel", "ช่องทาง"},
}


class StatementUnreadable(DomainError):
    code = "statement_unreadable"


@dataclass(frozen=True)
class Credit:
    booked_at: datetime
    amount: Decimal
    description: str  # kind, channel and details as the bank wrote them (references are read from it)
    key: str  # the same row always has the same key: a statement imported twice is kept once


def _name(cell: str) -> str:
    cell = re.sub(r"\((บาท|thb|baht)\)", "", cell.strip().lower())
    return re.sub(r"[\s_.\-]", "", cell)


def _header(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        for column, names in COLUMNS.items():
            if _name(cell) in names and column not in found:
                found[column] = index
    return found if {"date", "deposit"} <= found.keys() else None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatementUnreadable(_("The statement is not a text file (UTF-8 or Thai Windows-874)."))


def parse_day(text: str) -> date:
    """DD/MM/YYYY (Buddhist or Christian year), DD/MM/YY (Buddhist), or YYYY-MM-DD."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
        if not match:
            raise ValueError(text)
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2500
    if year > 2400:
        year -= 543
    return date(year, month, day)


def parse_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?", text.strip())
    if not match:
        return time(0, 0)
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return time(hour, minute, second)


def parse_amount(text: str) -> Decimal | None:
    """A deposit cell: None when empty or zero (not a credit); StatementUnreadable's ValueError when not money."""
    text = text.strip().replace(",", "").replace("฿", "")
    if text in {"", "-"}:
        return None
    amount = Decimal(text)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**10:
        raise ValueError(text)
    return amount.quantize(Decimal("0.01")) if amount else None


def read_statement(data: bytes) -> list[Credit]:
    """The credits of a statement file, in its order; StatementUnreadable (with the line) otherwise."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise StatementUnreadable(_("The statement file is too large (at most 5 MB)."))
    rows = list(csv.reader(io.StringIO(_decode(data))))
    if len(rows) > MAX_ROWS:
        raise StatementUnreadable(_("The statement has too many lines (at most 20,000)."))
    columns = None
    credits: list[Credit] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if columns is None:
            columns = _header(row)
            continue
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            amount = parse_amount(cell("deposit"))
            if amount is None:
                continue
            day = parse_day(cell("date"))
        except (ValueError, InvalidOperation):
            raise StatementUnreadable(
                _("Line %(line)s of the statement cannot be read (its date or deposit).") % {"line": number}
            ) from None
        booked_at = datetime.combine(day, parse_time(cell("time")), tzinfo=BANGKOK)
        description = " ".join(part for part in (cell("description"), cell("channel"), cell("details")) if part)
        same = "|".join([booked_at.isoformat(), str(amount), description])
        seen[same] = seen.get(same, 0) + 1  # two identical rows are two credits
        raw = f"{same}|{seen[same]}"
        credits.append(
            Credit(
                booked_at=booked_at,
                amount=amount,
                description=description[:300],
                key=hashlib.sha256(raw.encode()).hexdigest(),
            )
        )
    if columns is None:
        raise StatementUnreadable(_("No header row with a date and a deposit column was found in the statement."))
    return credits


def references_in(text: str) -> set[str]:
    """The words of a statement line that may be our references (Ref1, a bank's transaction id)."""
    words = set(re.findall(r"[A-Z0-9]{6,}", text.upper()))
    return words | {re.sub(r"\D", "", word) for word in words if len(re.sub(r"\D", "", word)) >= 6}
