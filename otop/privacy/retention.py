"""Retention rules run: what each rule would forget (the dry run) and forgetting it (services' part)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core import retention
from otop.core.errors import DomainError
from otop.core.services import record_audit_event
from otop.privacy.models import RetentionRule


def cutoff_for(*, keep_for: int, unit: str, now: datetime) -> datetime:
    """The instant before which data is older than the keeping time (months and years by the calendar)."""
    if unit == retention.DAYS:
        return now - timedelta(days=keep_for)
    months = keep_for * 12 if unit == retention.YEARS else keep_for
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def ensure_rules() -> list[RetentionRule]:
    """One rule per registered target, created with the target's default keeping time in report mode."""
    for target in retention.retention_targets():
        RetentionRule.objects.get_or_create(
            key=target.key, defaults={"keep_for": target.keep_for, "unit": target.unit, "applies": False}
        )
    known = {target.key for target in retention.retention_targets()}
    return [rule for rule in RetentionRule.objects.order_by("key") if rule.key in known]


@dataclass(frozen=True)
class RetentionLine:
    rule: RetentionRule
    label: str
    cutoff: datetime
    due: int


def retention_report(*, now: datetime | None = None) -> list[RetentionLine]:
    """The dry run: for every rule, how many records are older than its keeping time and still hold data."""
    now = now or timezone.now()
    lines = []
    for rule in ensure_rules():
        target = retention.retention_target(rule.key)
        cutoff = cutoff_for(keep_for=rule.keep_for, unit=rule.unit, now=now)
        lines.append(RetentionLine(rule=rule, label=str(target.label), cutoff=cutoff, due=target.count(cutoff)))
    return lines


def run_retention(*, actor: User | None = None, now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Forget what the rules in apply mode say is due; rules in report mode (or a dry run) only count.

    Each rule's result is kept on the rule (what the page shows) and audited when something was forgotten.
    Returns one line per rule for the command's output.
    """
    now = now or timezone.now()
    said = []
    for line in retention_report(now=now):
        rule, target = line.rule, retention.retention_target(line.rule.key)
        apply = rule.applies and not dry_run
        with transaction.atomic():
            count = target.forget(line.cutoff) if apply and line.due else (0 if apply else line.due)
            RetentionRule.objects.filter(pk=rule.pk).update(
                last_run_at=now, last_cutoff=line.cutoff, last_count=count, last_applied=apply
            )
            if apply and count:
                record_audit_event(
                    actor=actor, action="privacy.retention_applied", target=rule,
                    summary=f"{rule.key}: {count} older than {line.cutoff:%Y-%m-%d}",
                )  # fmt: skip
        verb = "forgotten" if apply else "due (report only)"
        said.append(f"{rule.key}: {count} {verb}, older than {line.cutoff:%Y-%m-%d}")
    return said


@transaction.atomic
def set_retention_rule(*, actor: User, rule: RetentionRule, keep_for: int, unit: str, applies: bool) -> RetentionRule:
    if keep_for < 1 or unit not in RetentionRule.Unit.values:
        raise DomainError(_("Keep data at least one day, month or year."))
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    before = f"{rule.keep_for} {rule.unit} {'apply' if rule.applies else 'report'}"
    # A shorter time or a switch to apply takes effect at the next run; the page shows its dry run first.
    rule.keep_for, rule.unit, rule.applies = keep_for, unit, applies
    rule.save(update_fields=["keep_for", "unit", "applies"])
    after = f"{keep_for} {unit} {'apply' if applies else 'report'}"
    record_audit_event(actor=actor, action="privacy.retention_changed", target=rule, summary=f"{before} → {after}")
    return rule


def daily_retention() -> None:
    run_retention()
