"""Writes of the reports app: targets (the manager) and producers' sales outside the center.

CSV imports are all or nothing: every line is checked first, and a file with any error saves nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.catalog.models import Category
from otop.core.money import InvalidAmount, parse_amount
from otop.core.services import record_audit_event
from otop.geo.models import District
from otop.producers.models import Producer
from otop.reports.errors import ImportRefused, InvalidOutsideSales, InvalidTarget
from otop.reports.models import OutsideSales, Target
from otop.reports.rollup import figures_changed
from otop.reports.selectors import CHANNEL_LABELS, gregorian_year

# Targets reach the province's billions: parse_amount's 12-digit bound is for one document, not a year.
MAX_TARGET = Decimal("99999999999999.99")
TARGET_COLUMNS = ["year", "month", "scope", "dimension", "key", "amount", "note"]
OUTSIDE_COLUMNS = ["producer", "month", "channel", "amount"]


def _target_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except Exception:  # noqa: BLE001 - any unreadable value is the same refusal
        raise InvalidTarget(_("The target must be an amount of baht.")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_TARGET or amount != amount.quantize(Decimal("0.01")):
        raise InvalidTarget(_("The target must be an amount of baht, not negative, with at most two decimals."))
    return amount.quantize(Decimal("0.01"))


def check_target_key(dimension: str, key: str) -> str:
    """Return the key in its stored form, or refuse a key that names nothing."""
    key = (key or "").strip()
    if dimension == Target.Dimension.TOTAL:
        if key:
            raise InvalidTarget(_("A total target has no key."))
        return ""
    if dimension == Target.Dimension.DISTRICT and District.objects.filter(code=key).exists():
        return key
    if dimension == Target.Dimension.CATEGORY and Category.objects.filter(code=key).exists():
        return key
    if dimension == Target.Dimension.CHANNEL and key in CHANNEL_LABELS:
        return key
    if dimension == Target.Dimension.PRODUCER and key.isdigit() and Producer.objects.filter(pk=int(key)).exists():
        return str(int(key))
    raise InvalidTarget(_("Unknown %(dimension)s: %(key)s") % {"dimension": dimension, "key": key[:40]})


def _checked_target(*, year, month, scope, dimension, key, amount, note="") -> dict:
    try:
        year, month = int(year), int(month or 0)
    except (TypeError, ValueError):
        raise InvalidTarget(_("Year and month must be numbers.")) from None
    if not 2500 <= year <= 2700:
        raise InvalidTarget(_("Give the year in the Buddhist era, e.g. 2569."))
    if not 0 <= month <= 12:
        raise InvalidTarget(_("The month must be 1–12, or 0 for the whole year."))
    if scope not in Target.Scope.values:
        raise InvalidTarget(_("Unknown scope: %(scope)s") % {"scope": str(scope)[:20]})
    if dimension not in Target.Dimension.values:
        raise InvalidTarget(_("Unknown breakdown: %(dimension)s") % {"dimension": str(dimension)[:20]})
    return {
        "year": year, "month": month, "scope": scope, "dimension": dimension,
        "key": check_target_key(dimension, key), "amount": None if amount in (None, "") else _target_amount(amount),
        "note": (note or "").strip()[:300],
    }  # fmt: skip


@transaction.atomic
def set_target(
    *, year: int, month: int = 0, scope: str, dimension: str, key: str = "", amount, actor: User | None, note: str = ""
) -> Target | None:
    """Set (or with an empty amount remove) one target; audited."""
    values = _checked_target(year=year, month=month, scope=scope, dimension=dimension, key=key, amount=amount,
                             note=note)  # fmt: skip
    return _save_target(values, actor=actor)


def _save_target(values: dict, *, actor: User | None) -> Target | None:
    cell = {name: values[name] for name in ("year", "month", "scope", "dimension", "key")}
    if values["amount"] is None:
        existing = Target.objects.filter(**cell).first()
        if existing is not None:
            record_audit_event(actor=actor, action="reports.target_removed", target=existing, summary=str(existing))
            existing.delete()
            figures_changed()
        return None
    target, _created = Target.objects.update_or_create(
        **cell, defaults={"amount": values["amount"], "note": values["note"], "updated_by": actor}
    )
    record_audit_event(actor=actor, action="reports.target_set", target=target, summary=str(target))
    figures_changed()
    return target


def _rows(text: str, columns: list[str]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in columns if name not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused(
            _("The file needs the columns: %(columns)s") % {"columns": ", ".join(columns)},
            errors=[(1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})],
        )
    return [(number, row) for number, row in enumerate(reader, start=2)]


@transaction.atomic
def import_targets(*, text: str, actor: User | None) -> int:
    """Set the targets of a CSV file (year, month, scope, dimension, key, amount, note). All or nothing."""
    checked, errors = [], []
    for number, row in _rows(text, TARGET_COLUMNS[:-1]):
        try:
            checked.append(_checked_target(**{name: row.get(name) for name in TARGET_COLUMNS}))
        except InvalidTarget as error:
            errors.append((number, error.message))
    if errors:
        raise ImportRefused(_("Nothing was imported: the file has errors."), errors=errors)
    for values in checked:
        _save_target(values, actor=actor)
    return len(checked)


def targets_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TARGET_COLUMNS)
    for target in Target.objects.order_by("year", "scope", "dimension", "key", "month"):
        writer.writerow([target.year, target.month, target.scope, target.dimension, target.key, target.amount,
                         target.note])  # fmt: skip
    return out.getvalue()


# --- sales outside the center -----------------------------------------------------------------


def parse_month(value: str) -> date:
    """'2569-03' (Buddhist era, as people write it) or '2026-03' → the first of that month."""
    try:
        year_text, month_text = str(value).strip().split("-")[:2]
        year, month = int(year_text), int(month_text)
        if year > 2400:
            year = gregorian_year(year)
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidOutsideSales(_("Give the month as year-month, e.g. 2569-03.")) from None


def _checked_outside(*, producer: Producer, month: date, channel: str, amount, today: date) -> tuple:
    if channel not in OutsideSales.Channel.values:
        raise InvalidOutsideSales(_("Unknown channel: %(channel)s") % {"channel": str(channel)[:20]})
    month = month.replace(day=1)
    if month > today:
        raise InvalidOutsideSales(_("Sales can be reported only for this month or earlier ones."))
    try:
        amount = parse_amount(amount)
    except InvalidAmount:
        raise InvalidOutsideSales(_("The amount must be baht with at most two decimals.")) from None
    if amount < 0:
        raise InvalidOutsideSales(_("The amount cannot be negative."))
    return producer, month, channel, amount


def record_outside_sales(
    *, producer: Producer, month: date, channel: str, amount, source: str, actor: User | None, today: date | None = None
) -> OutsideSales:
    """Record (or correct) a producer's sales outside the center for a month and channel; audited."""
    today = today or timezone.localdate()
    producer, month, channel, amount = _checked_outside(
        producer=producer, month=month, channel=channel, amount=amount, today=today
    )
    with transaction.atomic():
        return _save_outside(producer, month, channel, amount, source=source, actor=actor)


def _save_outside(producer, month, channel, amount, *, source: str, actor: User | None) -> OutsideSales:
    record, _created = OutsideSales.objects.update_or_create(
        producer=producer, month=month, channel=channel,
        defaults={"amount": amount, "source": source, "entered_by": actor,
                  "district_code": producer.district_id or ""},
    )  # fmt: skip
    record_audit_event(actor=actor, action="reports.outside_sales", target=record, summary=str(record))
    figures_changed()
    return record


@transaction.atomic
def import_outside_sales(*, text: str, actor: User | None, district_code: str = "", today: date | None = None) -> int:
    """Record a CSV of producers' outside sales (producer number, month, channel, amount). All or nothing.

    With `district_code`, every producer must be of that district (a district officer's file).
    """
    today = today or timezone.localdate()
    rows = _rows(text, OUTSIDE_COLUMNS)
    ids = {int(row["producer"]) for _n, row in rows if str(row.get("producer") or "").strip().isdigit()}
    producers = Producer.objects.in_bulk(ids)
    checked, errors = [], []
    for number, row in rows:
        try:
            text_id = str(row.get("producer") or "").strip()
            producer = producers.get(int(text_id)) if text_id.isdigit() else None
            if producer is None:
                raise InvalidOutsideSales(_("Unknown producer: %(producer)s") % {"producer": text_id[:20]})
            if district_code and producer.district_id != district_code:
                raise InvalidOutsideSales(_("This producer is not of the district."))
            month = parse_month(row.get("month") or "")
            channel = (row.get("channel") or "").strip()
            checked.append(
                _checked_outside(producer=producer, month=month, channel=channel, amount=row.get("amount") or "",
                                 today=today)
            )  # fmt: skip
        except InvalidOutsideSales as error:
            errors.append((number, error.message))
    if errors:
        raise ImportRefused(_("Nothing was imported: the file has errors."), errors=errors)
    for producer, month, channel, amount in checked:
        _save_outside(producer, month, channel, amount, source=OutsideSales.Source.IMPORT, actor=actor)
    return len(checked)
