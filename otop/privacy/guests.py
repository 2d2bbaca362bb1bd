"""Data-subject rights for guests without an account (PDPA s.30-33): a guest who ordered or booked with an
e-mail proves it is theirs with a one-time code, then downloads what we hold under it, or asks for a
correction or erasure.

The code is sent by e-mail, or by SMS to a Thai mobile number (notifications.sms, ThaiBulkSMS), through the
notifications outbox and the task queue. Without the SMS provider's credentials a phone number is refused
with a message that says so (a guest who gave only a phone then asks at the center). An SMS the provider
refuses (a number it cannot reach, no credit left) makes the code unusable and the page says why.
Every answer before the code is checked is the same whether or not we hold anything under the contact.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.core import consent
from otop.core.errors import Conflict, DomainError, TooManyTries
from otop.core.personal_data import EMAIL, PHONE, Contact, contact_handlers
from otop.core.services import record_audit_event
from otop.core.throttle import Verdict, hit, over
from otop.core.validators import normalize_thai_phone, thai_phone_is_valid
from otop.notifications.services import notify_by_email
from otop.notifications.sms import delivery_state, notify_by_sms, sms_is_set_up
from otop.privacy.models import ANSWER_WITHIN, ConsentRecord, ContactCode, DataRequest

CODE_LIFETIME = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
# How long a checked code lets the guest download and ask, in the same browser session.
VERIFIED_FOR = timedelta(minutes=30)
# Codes sent to one contact, and asked for by one client, in the shared cache like every abuse limit.
SEND_PER_CONTACT = "3/h"
SEND_PER_CLIENT = "10/h"
# Codes typed by one client (right or wrong, over every code it was sent).
CHECK_PER_CLIENT = "30/h"


class CodeRefused(DomainError):
    """The code was not accepted: wrong, expired, used, replaced or locked. Nothing is shown."""


def read_contact(text: str) -> Contact | None:
    """An e-mail address or a Thai phone number as typed, in its one spelling; None when it is neither."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            return None
        return Contact(kind=EMAIL, value=text.lower())
    if thai_phone_is_valid(text):
        return Contact(kind=PHONE, value=normalize_thai_phone(text))
    return None


def is_mobile(phone: str) -> bool:
    """A Thai mobile number (10 digits from 06, 08 or 09): the only kind an SMS reaches."""
    return len(phone) == 10 and phone.isdigit() and phone[:2] in ("06", "08", "09")


def mask(contact: Contact) -> str:
    """ "s•••@example.com" or "08•••••333": enough for staff and the audit log to recognise, not to reach."""
    if contact.kind == EMAIL:
        name, _at, domain = contact.value.partition("@")
        return f"{name[:1]}•••@{domain}"
    return f"{contact.value[:2]}{'•' * (len(contact.value) - 5)}{contact.value[-3:]}"


def _digest(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"privacy-guest:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def contact_digest(contact: Contact) -> str:
    return _digest(contact.kind, contact.value)


def _code_digest(code_id: int, code: str) -> str:
    return _digest(f"code:{code_id}", code)


def _refuse_when_over(verdict: Verdict | None) -> None:
    if verdict is not None and not verdict.allowed:
        minutes = max(1, math.ceil(verdict.retry_after / 60))
        raise TooManyTries(
            _("Too many codes were asked for. Please wait %(minutes)s minutes and try again.") % {"minutes": minutes},
            retry_after=verdict.retry_after,
        )


def send_code(*, contact: Contact, client: str, language: str = "th", now: datetime | None = None) -> ContactCode:
    """Send a new one-time code to the contact; an earlier code of the contact stops working.

    Refused (nothing sent, nothing stored) for a phone number while SMS is not set up, and over the limits
    per contact and per client. The answer does not depend on whether we hold data under the contact."""
    now = now or timezone.now()
    if contact.kind == PHONE and not sms_is_set_up():
        raise DomainError(
            _(
                "SMS is not set up at the center, so we cannot send a code to a phone. Enter the e-mail address "
                "you gave us, or ask at the center with an identity card."
            ),
            fields={"contact": [_("Enter an e-mail address.")]},
        )
    if contact.kind == PHONE and not is_mobile(contact.value):
        raise DomainError(
            _("An SMS reaches mobile numbers only (06, 08 or 09). Enter a mobile number or an e-mail address."),
            fields={"contact": [_("Enter a mobile number or an e-mail address.")]},
        )
    digest = contact_digest(contact)
    # Look first without counting so a refused request is not counted against the other limit.
    _refuse_when_over(over("privacy-code-contact", digest, SEND_PER_CONTACT))
    _refuse_when_over(over("privacy-code-client", client, SEND_PER_CLIENT))
    hit("privacy-code-contact", digest, SEND_PER_CONTACT)
    hit("privacy-code-client", client, SEND_PER_CLIENT)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        ContactCode.objects.filter(contact_digest=digest, used_at__isnull=True).update(used_at=now)
        row = ContactCode.objects.create(
            contact_digest=digest, code_digest="", created_at=now, expires_at=now + CODE_LIFETIME
        )
        row.code_digest = _code_digest(row.pk, code)
        row.save(update_fields=["code_digest"])
        context = {"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
        if contact.kind == PHONE:
            row.message = notify_by_sms(
                event="privacy/guest_code", phone=contact.value, language=language, context=context
            )
        else:
            row.message = notify_by_email(
                event="privacy/guest_code", email=contact.value, language=language, context=context
            )
        row.save(update_fields=["message"])
        record_audit_event(actor=None, action="privacy.guest_code_sent", target=row, summary=mask(contact))
    return row


def check_code(*, code_id: int, contact: Contact, code: str, client: str, now: datetime | None = None) -> ContactCode:
    """Accept the code once, within its 10 minutes and before its 5th wrong try; returns the used code.

    A wrong code counts one try (kept even though the check is refused) and is audited."""
    now = now or timezone.now()
    verdict = hit("privacy-code-check", client, CHECK_PER_CLIENT)
    if not verdict.allowed:
        minutes = max(1, math.ceil(verdict.retry_after / 60))
        raise TooManyTries(
            _("Too many codes were typed. Please wait %(minutes)s minutes and try again.") % {"minutes": minutes},
            retry_after=verdict.retry_after,
        )
    code = "".join((code or "").split())
    refusal = None
    with transaction.atomic():
        row = ContactCode.objects.select_for_update().filter(pk=code_id).first()
        if row is None or not hmac.compare_digest(row.contact_digest, contact_digest(contact)):
            refusal = _("This code is no longer valid. Ask for a new one.")
        elif row.wrong_tries >= MAX_WRONG_TRIES:
            refusal = _("The code was typed wrong 5 times and is locked. Ask for a new one.")
        elif row.used_at is not None or now >= row.expires_at:
            refusal = _("This code is no longer valid. Ask for a new one.")
        elif contact.kind == PHONE and (sms := sms_state(row))[0] == "failed":
            refusal = sms[1]
        elif not hmac.compare_digest(row.code_digest, _code_digest(row.pk, code)):
            ContactCode.objects.filter(pk=row.pk).update(wrong_tries=F("wrong_tries") + 1)
            left = MAX_WRONG_TRIES - row.wrong_tries - 1
            record_audit_event(
                actor=None, action="privacy.guest_code_wrong", target=row, summary=f"{mask(contact)}; {left} left"
            )
            if left <= 0:
                refusal = _("The code was typed wrong 5 times and is locked. Ask for a new one.")
            else:
                refusal = _("The code is not right. %(left)s tries left.") % {"left": left}
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            record_audit_event(actor=None, action="privacy.guest_verified", target=row, summary=mask(contact))
    if refusal:
        raise CodeRefused(refusal)
    return row


def sms_state(code: ContactCode) -> tuple[str, str]:
    """Whether the SMS that carries a code went out: ("queued" | "sent" | "failed", why it failed)."""
    return delivery_state(code.message_id)


def export_guest_data(*, contact: Contact, now: datetime | None = None) -> dict[str, Any]:
    """Everything we hold under a guest's contact (records made without an account), as JSON-ready values."""
    now = now or timezone.now()
    subjects = [consent.email_subject(contact.value)] if contact.kind == EMAIL else []
    data: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "contact": {"kind": contact.kind, "value": contact.value},
        "consents": [
            {"purpose": r.purpose, "given": r.granted, "notice_version": r.notice_version, "channel": r.channel,
             "at": r.at.isoformat()}
            for r in ConsentRecord.objects.filter(subject__in=subjects).order_by("at", "pk")
        ],
        "requests": [
            {"reference": r.reference, "kind": r.kind, "status": r.status, "asked": r.requested_at.isoformat(),
             "outcome": r.outcome}
            for r in guest_requests(contact).order_by("requested_at", "pk")
        ],
    }  # fmt: skip
    for handler in contact_handlers():
        data[handler.app] = handler.export_contact(contact)
    return data


def guest_requests(contact: Contact):
    return DataRequest.objects.filter(user__isnull=True, contact_kind=contact.kind, contact=contact.value)


def record_guest_export(*, code: ContactCode, contact: Contact, file_format: str) -> None:
    record_audit_event(
        actor=None, action="privacy.guest_data_exported", target=code, summary=f"{mask(contact)} {file_format}"
    )


@transaction.atomic
def ask_as_guest(
    *, contact: Contact, kind: str, details: str = "", code: ContactCode, now: datetime | None = None
) -> DataRequest:
    """A verified guest asks for a correction or the erasure of what we hold under their contact."""
    now = now or timezone.now()
    details = details.strip()[:2000]
    if kind not in (DataRequest.Kind.CORRECTION, DataRequest.Kind.ERASURE):
        raise DomainError(_("Unknown request."))
    if kind == DataRequest.Kind.CORRECTION and not details:
        raise DomainError(_("Say what should be corrected."), fields={"details": [_("This field is required.")]})
    if guest_requests(contact).filter(kind=kind, status=DataRequest.Status.OPEN).exists():
        raise Conflict(_("You already have a request of this kind waiting; staff will answer it."))
    request = DataRequest.objects.create(
        user=None, contact_kind=contact.kind, contact=contact.value,
        reference=f"tmp-{now.timestamp()}-g{code.pk}"[:20], kind=kind, details=details,
        requested_at=now, due_at=now + ANSWER_WITHIN,
    )  # fmt: skip
    request.reference = f"PD-{request.pk:06d}"
    request.save(update_fields=["reference"])
    record_audit_event(
        actor=None, action="privacy.request_made", target=request,
        summary=f"{request.reference} {kind} (guest {mask(contact)})",
    )  # fmt: skip
    return request


def request_contact(request: DataRequest) -> Contact | None:
    """The contact a guest's request was made under (None for an account's request, or once erased)."""
    if request.user_id is None and request.contact_kind in (EMAIL, PHONE) and "•" not in request.contact:
        return Contact(kind=request.contact_kind, value=request.contact)
    return None


def erase_guest(*, contact: Contact) -> list[str]:
    """Every app's guest eraser, then the consent history under the contact kept as counts. The caller holds
    the request's lock and records the outcome."""
    done = []
    for handler in contact_handlers():
        done.append(f"{handler.app}: {handler.erase_contact(contact)}")
    if contact.kind == EMAIL:
        consents = ConsentRecord.objects.filter(subject=consent.email_subject(contact.value)).update(
            subject="erased", user=None
        )
        done.append(f"privacy: {consents} consent record(s) kept as counts without the person")
    return done
