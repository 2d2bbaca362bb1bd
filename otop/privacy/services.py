"""Writes: publishing a notice version, recording consent decisions, and answering data requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core import consent
from otop.core.errors import Conflict, DomainError
from otop.core.personal_data import personal_data_handlers
from otop.core.services import record_audit_event
from otop.privacy import guests, selectors
from otop.privacy.models import ANSWER_WITHIN, ConsentRecord, DataRequest, Notice

# What the law makes us keep after an erasure, said to the person and filed with the request.
KEPT_BY_LAW = (
    "Kept as the law requires: tax invoices, receipts and accounting records for 5 years (Revenue Code), "
    "and producers' settlements; the orders keep their amounts and goods without name, phone or address."
)


@transaction.atomic
def publish_notice(*, actor: User | None, body_th: str, body_en: str, asks_consent_again: bool) -> Notice:
    body_th, body_en = body_th.strip(), body_en.strip()
    if not body_th or not body_en:
        raise DomainError(_("Write the notice in both Thai and English."))
    version = (Notice.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                version=version, body_th=body_th, body_en=body_en, asks_consent_again=asks_consent_again,
                published_at=timezone.now(), published_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise Conflict(_("Another version was published at the same moment; look at it and try again.")) from error
    record_audit_event(
        actor=actor, action="privacy.notice_published", target=notice,
        summary=f"v{version}" + (" (consent asked again)" if asks_consent_again else ""),
    )  # fmt: skip
    return notice


def _record(
    *, subject: str, user: User | None, purpose: str, granted: bool, channel: str, now: datetime
) -> ConsentRecord:
    notice = selectors.current_notice()
    return ConsentRecord.objects.create(
        subject=subject, user=user, purpose=purpose, granted=granted,
        notice_version=notice.version if notice else None, channel=channel, at=now,
    )  # fmt: skip


@transaction.atomic
def set_consents(
    *, user: User, choices: dict[str, bool], channel: str = ConsentRecord.Channel.WEB, now: datetime | None = None
) -> list[ConsentRecord]:
    """Record the account holder's choices; only a change (or a confirmation a new notice asks for) is recorded."""
    now = now or timezone.now()
    unknown = set(choices) - set(ConsentRecord.Purpose.values)
    if unknown:
        raise DomainError(_("Unknown purpose."))
    subjects = consent.subjects_for(user_id=user.pk, email=user.email)
    live = selectors.live_consents(subjects=subjects)
    decisions = selectors.latest_decisions(subjects=subjects)
    recorded = []
    for purpose, granted in choices.items():
        latest = decisions.get(purpose)
        if granted == live[purpose] and (latest is not None or not granted):
            continue
        recorded.append(
            _record(subject=consent.user_subject(user.pk), user=user, purpose=purpose, granted=granted,
                    channel=channel, now=now)
        )  # fmt: skip
    return recorded


@transaction.atomic
def give_consent(*, subject: str, purpose: str, channel: str, user: User | None = None, now: datetime | None = None):
    """A consent given outside an account (a chat's opt-in button, the checkout's box)."""
    if purpose not in ConsentRecord.Purpose.values:
        raise DomainError(_("Unknown purpose."))
    return _record(
        subject=subject, user=user, purpose=purpose, granted=True, channel=channel, now=now or timezone.now()
    )


@transaction.atomic
def withdraw_everywhere(*, subjects: list[str], purpose: str, channel: str, now: datetime | None = None) -> int:
    """Withdraw the purpose under every subject whose latest decision gave it; returns how many did."""
    now = now or timezone.now()
    decisions = {}
    for record in ConsentRecord.objects.filter(subject__in=subjects, purpose=purpose).order_by("-at", "-pk"):
        decisions.setdefault(record.subject, record)
    withdrawn = 0
    for subject, record in decisions.items():
        if record.granted:
            _record(subject=subject, user=record.user, purpose=purpose, granted=False, channel=channel, now=now)
            withdrawn += 1
    return withdrawn


def export_data(*, user: User) -> dict[str, Any]:
    """Everything we hold about an account holder, as JSON-ready values (PDPA s.30 and s.31)."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "phone": user.phone, "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "consents": [
            {"purpose": r.purpose, "given": r.granted, "notice_version": r.notice_version, "channel": r.channel,
             "at": r.at.isoformat()}
            for r in ConsentRecord.objects.filter(subject__in=consent.subjects_for(user_id=user.pk, email=user.email))
            .order_by("at", "pk")
        ],
        "requests": [
            {"reference": r.reference, "kind": r.kind, "status": r.status, "asked": r.requested_at.isoformat(),
             "outcome": r.outcome}
            for r in DataRequest.objects.filter(user=user).order_by("requested_at")
        ],
    }  # fmt: skip
    for handler in personal_data_handlers():
        data[handler.app] = handler.export(user)
    return data


@transaction.atomic
def ask(*, user: User, kind: str, details: str = "", now: datetime | None = None) -> DataRequest:
    """A person asks for a copy, a correction or the erasure of their data; staff answer within 30 days."""
    now = now or timezone.now()
    details = details.strip()[:2000]
    if kind not in DataRequest.Kind.values:
        raise DomainError(_("Unknown request."))
    if kind == DataRequest.Kind.CORRECTION and not details:
        raise DomainError(_("Say what should be corrected."), fields={"details": [_("This field is required.")]})
    if DataRequest.objects.filter(user=user, kind=kind, status=DataRequest.Status.OPEN).exists():
        raise Conflict(_("You already have a request of this kind waiting; staff will answer it."))
    request = DataRequest.objects.create(
        user=user, reference=f"tmp-{now.timestamp()}-{user.pk}"[:20], kind=kind, details=details,
        requested_at=now, due_at=now + ANSWER_WITHIN,
    )  # fmt: skip
    request.reference = f"PD-{request.pk:06d}"
    request.save(update_fields=["reference"])
    record_audit_event(actor=user, action="privacy.request_made", target=request, summary=f"{request.reference} {kind}")
    return request


def record_export(*, request: DataRequest, actor: User | None) -> None:
    """Staff downloaded a person's data to answer their request: audited."""
    record_audit_event(actor=actor, action="privacy.data_exported", target=request, summary=request.reference)


@transaction.atomic
def close_request(*, request: DataRequest, actor: User, outcome: str, refused: bool = False) -> DataRequest:
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != DataRequest.Status.OPEN:
        raise Conflict(_("This request was already answered."))
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Say what was done."), fields={"outcome": [_("This field is required.")]})
    request.status = DataRequest.Status.REFUSED if refused else DataRequest.Status.DONE
    request.outcome, request.closed_at, request.closed_by = outcome, timezone.now(), actor
    request.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    record_audit_event(actor=actor, action="privacy.request_closed", target=request, summary=request.status)
    return request


@transaction.atomic
def erase_person(*, request: DataRequest, actor: User) -> DataRequest:
    """Carry out an erasure request: every app erases what the law lets it, then the account itself is
    anonymised and the consent history keeps only its counts. Every step is in the audit log."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.kind != DataRequest.Kind.ERASURE or request.status != DataRequest.Status.OPEN:
        raise Conflict(_("Only a waiting erasure request can be carried out."))
    user = request.user
    if user is None:
        return _erase_guest(request=request, actor=actor)
    if user.is_staff or user.is_superuser:
        raise DomainError(_("A staff account is closed by the manager, not erased through a request."))
    done = []
    for handler in personal_data_handlers():
        sentence = handler.erase(user)
        done.append(f"{handler.app}: {sentence}")
        record_audit_event(actor=actor, action="privacy.erased", target=request, summary=f"{handler.app}: {sentence}")
    subjects = consent.subjects_for(user_id=user.pk, email=user.email)
    consents = ConsentRecord.objects.filter(subject__in=subjects).update(subject="erased", user=None)
    done.append(f"privacy: {consents} consent record(s) kept as counts without the person")
    User.objects.filter(pk=user.pk).update(
        username=f"erased-{user.pk}", first_name="", last_name="", email="", phone="", is_active=False,
        password="!erased",
    )  # fmt: skip
    done.append("account: name, e-mail and phone erased; the account can no longer sign in")
    request.status, request.closed_at, request.closed_by = DataRequest.Status.DONE, timezone.now(), actor
    request.outcome = "\n".join([*done, KEPT_BY_LAW])
    request.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    record_audit_event(actor=actor, action="privacy.request_closed", target=request, summary="erased")
    return request


def _erase_guest(*, request: DataRequest, actor: User) -> DataRequest:
    """A guest's erasure: every app's records made without an account under the contact the guest proved;
    the request keeps the contact only masked. The caller holds the request's lock."""
    contact = guests.request_contact(request)
    if contact is None:
        raise Conflict(_("This request's account no longer exists."))
    done = guests.erase_guest(contact=contact)
    for sentence in done:
        record_audit_event(actor=actor, action="privacy.erased", target=request, summary=sentence)
    request.status, request.closed_at, request.closed_by = DataRequest.Status.DONE, timezone.now(), actor
    request.outcome = "\n".join([*done, KEPT_BY_LAW])
    request.contact = guests.mask(contact)
    request.save(update_fields=["status", "outcome", "closed_at", "closed_by", "contact"])
    record_audit_event(actor=actor, action="privacy.request_closed", target=request, summary="erased")
    return request
