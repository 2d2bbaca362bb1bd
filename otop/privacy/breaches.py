"""The breach log: recording an incident, finding who it affects, the 72-hour clock, the notices (PDPA s.37(4))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.errors import Conflict, DomainError
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.core.thaidates import format_datetime
from otop.orders.models import Order
from otop.orders.personal_data import ERASED_NAME
from otop.privacy.models import Breach
from otop.producers.models import Producer
from otop.workspace.models import Booking

# --- Who is affected: one query helper per kind of record --------------------------------------------------


@dataclass(frozen=True)
class AffectedPerson:
    source: str  # "orders", "bookings", ...
    record: str  # the order or booking number, the producer or account id
    name: str
    phone: str
    email: str


def _orders(start: datetime, end: datetime) -> list[AffectedPerson]:
    rows = (
        Order.objects.filter(placed_at__gte=start, placed_at__lt=end)
        .exclude(customer_name=ERASED_NAME, phone="", email="")
        .order_by("placed_at")
        .values_list("number", "customer_name", "phone", "email")
    )
    return [AffectedPerson("orders", number, name, phone, email) for number, name, phone, email in rows]


def _bookings(start: datetime, end: datetime) -> list[AffectedPerson]:
    rows = (
        Booking.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(name="", phone="", email="")
        .order_by("starts_at")
        .values_list("reference", "name", "phone", "email")
    )
    return [AffectedPerson("bookings", reference, name, phone, email) for reference, name, phone, email in rows]


def _producers(start: datetime, end: datetime) -> list[AffectedPerson]:
    rows = Producer.objects.filter(created_at__lt=end).order_by("pk").values_list("pk", "name_th", "phone", "email")
    return [AffectedPerson("producers", str(pk), name, phone, email) for pk, name, phone, email in rows]


def _accounts(start: datetime, end: datetime) -> list[AffectedPerson]:
    rows = (
        User.objects.filter(date_joined__lt=end, is_active=True)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "phone", "email")
    )
    return [
        AffectedPerson("accounts", str(pk), f"{first} {last}".strip(), phone, email)
        for pk, first, last, phone, email in rows
    ]


QUERIES = {
    Breach.Scope.ORDERS: _orders,
    Breach.Scope.BOOKINGS: _bookings,
    Breach.Scope.PRODUCERS: _producers,
    Breach.Scope.ACCOUNTS: _accounts,
}


def affected_people(breach: Breach) -> list[AffectedPerson]:
    """Everyone the breach's scope and period reach, one line per person (the same phone or e-mail once)."""
    if not breach.scope:
        return []
    start = breach.period_start or datetime.min.replace(tzinfo=timezone.get_current_timezone())
    end = breach.period_end or timezone.now()
    people, seen = [], set()
    for person in QUERIES[breach.scope](start, end):
        key = person.phone or person.email or f"{person.source}:{person.record}"
        if key in seen:
            continue
        seen.add(key)
        people.append(person)
    return people


# --- The clock and the notice ------------------------------------------------------------------------------


def hours_left(breach: Breach, *, now: datetime | None = None) -> float | None:
    """Hours until the PDPC must be told (negative: late); None once told or when no notice is due."""
    if breach.pdpc_notified_at or breach.risk == Breach.Risk.UNLIKELY:
        return None
    return round(((breach.pdpc_due_at - (now or timezone.now())).total_seconds()) / 3600, 1)


def notice_text(breach: Breach, *, language: str) -> str:
    """The notice to the people affected, in Thai (Buddhist-era dates) or English, filled from the record."""
    profile = center_profile()
    return render_to_string(
        f"privacy/breach_notice_{'en' if language == 'en' else 'th'}.txt",
        {
            "breach": breach,
            "center": profile.name_en if language == "en" and profile.name_en else profile.name_th,
            "phone": profile.phone,
            "email": profile.email,
            "discovered": format_datetime(breach.discovered_at, language=language),
        },
    ).strip()


# --- Writes ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_breach(
    *, actor: User, title: str, description: str, data_affected: str, discovered_at: datetime, risk: str,
    scope: str = "", period_start: datetime | None = None, period_end: datetime | None = None, measures: str = "",
    now: datetime | None = None,
) -> Breach:  # fmt: skip
    now = now or timezone.now()
    if discovered_at > now:
        raise DomainError(_("A breach cannot be discovered in the future."), fields={"discovered_at": [_("Too late.")]})
    if period_start and period_end and period_start > period_end:
        raise DomainError(_("The period ends before it starts."), fields={"period_end": [_("Before the start.")]})
    breach = Breach.objects.create(
        reference=f"tmp-{now.timestamp()}"[:20], title=title.strip(), description=description.strip(),
        data_affected=data_affected.strip(), discovered_at=discovered_at, risk=risk, scope=scope,
        period_start=period_start, period_end=period_end, measures=measures.strip(), recorded_at=now,
        recorded_by=actor,
    )  # fmt: skip
    breach.reference = f"BR-{breach.pk:06d}"
    breach.save(update_fields=["reference"])
    record_audit_event(actor=actor, action="privacy.breach_recorded", target=breach, summary=breach.title)
    return breach


def _locked(breach: Breach) -> Breach:
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if breach.closed_at:
        raise Conflict(_("This incident is closed."))
    return breach


@transaction.atomic
def record_pdpc_notice(*, actor: User, breach: Breach, reference: str, at: datetime | None = None) -> Breach:
    breach = _locked(breach)
    if breach.pdpc_notified_at:
        raise Conflict(_("The PDPC was already notified of this incident."))
    breach.pdpc_notified_at, breach.pdpc_reference = at or timezone.now(), reference.strip()[:80]
    breach.save(update_fields=["pdpc_notified_at", "pdpc_reference"])
    late = breach.pdpc_notified_at > breach.pdpc_due_at
    record_audit_event(
        actor=actor, action="privacy.breach_pdpc_notified", target=breach,
        summary=f"{breach.reference} {'after' if late else 'within'} 72 hours",
    )  # fmt: skip
    return breach


@transaction.atomic
def record_people_notified(*, actor: User, breach: Breach, at: datetime | None = None) -> Breach:
    breach = _locked(breach)
    if breach.people_notified_at:
        raise Conflict(_("The people affected were already notified."))
    breach.people_notified_at = at or timezone.now()
    breach.save(update_fields=["people_notified_at"])
    record_audit_event(
        actor=actor, action="privacy.breach_people_notified", target=breach,
        summary=f"{breach.reference}: {len(affected_people(breach))} people",
    )  # fmt: skip
    return breach


@transaction.atomic
def close_breach(*, actor: User, breach: Breach, now: datetime | None = None) -> Breach:
    """Close an incident once the notices its risk calls for are recorded."""
    breach = _locked(breach)
    if breach.risk != Breach.Risk.UNLIKELY and not breach.pdpc_notified_at:
        raise Conflict(_("Record the notice to the PDPC before closing."))
    if breach.risk == Breach.Risk.HIGH and not breach.people_notified_at:
        raise Conflict(_("Record that the people affected were notified before closing."))
    breach.closed_at = now or timezone.now()
    breach.save(update_fields=["closed_at"])
    record_audit_event(actor=actor, action="privacy.breach_closed", target=breach, summary=breach.reference)
    return breach


def record_affected_export(*, actor: User, breach: Breach, count: int) -> None:
    record_audit_event(actor=actor, action="privacy.breach_affected_exported", target=breach, summary=f"{count} people")
