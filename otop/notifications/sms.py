"""SMS through ThaiBulkSMS's API v2, spoken with the standard library: one form POST per message.

`POST {THAIBULKSMS_API_BASE_URL}/sms` with HTTP Basic authentication (API key : API secret) and the form
fields `msisdn`, `message`, `sender` and `force` (corporate or standard credit). The provider answers
201 with the numbers it took (`phone_number_list`, each with its `message_id` and `used_credit`) and
the ones it would not (`bad_phone_number_list`), or an error as `{"error": {"code", "name",
"description"}}`. It picks the encoding itself: text with Thai characters goes as UCS-2 (70 characters a
credit), so our code message stays within 70 characters.

SMS carries one-time codes only (guests proving a phone number, shoppers signing up with one): it costs
money per message, so `notify_person` never reaches for it. A refusal for good (wrong credentials, no
credit left, a number it cannot reach) marks the message failed with a `failure` word that
`failure_text` turns into a sentence for the person waiting for the code; a rate limit, the provider's
own error or no answer is a TemporaryFailure that the worker tries again.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from otop.notifications.channels import Recipient, TemporaryFailure, register_channel
from otop.notifications.models import OutboundMessage

TIMEOUT_SECONDS = 10
# Thai text goes as UCS-2: 70 characters fit in one message (one credit).
ONE_MESSAGE_UCS2 = 70

BAD_CREDENTIALS = "bad_credentials"
NO_CREDIT = "no_credit"
BAD_NUMBER = "bad_number"
REFUSED = "refused"


@dataclass(frozen=True)
class SmsConfig:
    base_url: str
    api_key: str
    api_secret: str
    sender: str
    force: str

    @property
    def is_enabled(self) -> bool:
        return bool(self.api_key and self.api_secret)


def sms_config() -> SmsConfig:
    return SmsConfig(
        base_url=settings.THAIBULKSMS_API_BASE_URL.rstrip("/"),
        api_key=settings.THAIBULKSMS_API_KEY,
        api_secret=settings.THAIBULKSMS_API_SECRET,
        sender=settings.THAIBULKSMS_SENDER,
        force=settings.THAIBULKSMS_FORCE,
    )


def sms_is_set_up() -> bool:
    """Can we send an SMS at all (the provider's key and secret are set)?"""
    return sms_config().is_enabled


class SmsRefused(Exception):
    """The provider refused the message for good; `reason` is one of the words above."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class SentSms:
    message_id: str
    used_credit: int
    remaining_credit: Any


def _error_of(raw: bytes) -> dict:
    try:
        error = json.loads(raw or b"{}").get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def send_sms(*, phone: str, text: str) -> SentSms:
    """Send one SMS to a Thai mobile number (local digits, 0812345678) now."""
    config = sms_config()
    if not config.is_enabled:
        raise SmsRefused(BAD_CREDENTIALS, "THAIBULKSMS_API_KEY and THAIBULKSMS_API_SECRET are not set")
    fields = {"msisdn": phone, "message": text, "force": config.force}
    if config.sender:
        fields["sender"] = config.sender
    credentials = base64.b64encode(f"{config.api_key}:{config.api_secret}".encode()).decode()
    request = urllib.request.Request(
        f"{config.base_url}/sms",
        data=urlencode(fields).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - our configured host
            raw = response.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
        detail = _error_of(raw)
        words = f"{detail.get('name', '')} {detail.get('description', '')}".strip() or raw[:200].decode(
            errors="replace"
        )
        if error.code == 429 or error.code >= 500:
            retry_after = error.headers.get("Retry-After")
            raise TemporaryFailure(
                f"ThaiBulkSMS {error.code}: {words}",
                retry_after_seconds=float(retry_after) if retry_after and retry_after.isdigit() else None,
            ) from None
        if error.code in (401, 403):
            raise SmsRefused(BAD_CREDENTIALS, f"{error.code} {words}") from None
        if "credit" in words.lower():
            raise SmsRefused(NO_CREDIT, f"{error.code} {words}") from None
        if any(word in words.lower() for word in ("msisdn", "phone", "number")):
            raise SmsRefused(BAD_NUMBER, f"{error.code} {words}") from None
        raise SmsRefused(REFUSED, f"{error.code} {words}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TemporaryFailure(f"ThaiBulkSMS did not answer: {error}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise TemporaryFailure(f"ThaiBulkSMS answered something that is not JSON: {raw[:200]!r}") from None
    bad = answer.get("bad_phone_number_list") or []
    if bad:
        reasons = "; ".join(str(item.get("message", "")) for item in bad if isinstance(item, dict))
        raise SmsRefused(BAD_NUMBER, reasons or "bad number")
    taken = answer.get("phone_number_list") or []
    if not taken:
        raise SmsRefused(REFUSED, "no number was taken")
    first = taken[0] if isinstance(taken[0], dict) else {}
    return SentSms(
        message_id=str(first.get("message_id", "")),
        used_credit=int(first.get("used_credit") or 0),
        remaining_credit=answer.get("remaining_credit"),
    )


def render_sms(*, event: str, language: str, context: dict[str, Any]) -> str:
    """The event's SMS text (notifications/<event>.sms.txt), on one line."""
    with translation.override(language):
        text = render_to_string(f"notifications/{event}.sms.txt", context)
    return " ".join(text.split())


def notify_by_sms(*, event: str, phone: str, language: str = "th", context: dict[str, Any]) -> OutboundMessage:
    """Record an SMS about an event and queue its sending once the current transaction commits."""
    # Imported here: services imports this module to register the channel.
    from otop.notifications.services import _enqueue

    message = OutboundMessage.objects.create(
        event=event,
        channel=OutboundMessage.Channel.SMS,
        recipient=phone,
        language=language,
        body=render_sms(event=event, language=language, context=context),
    )
    transaction.on_commit(partial(_enqueue, message_id=message.pk))
    return message


def failure_text(failure: str) -> str:
    """What to tell the person waiting for the SMS when the provider refused it."""
    if failure == BAD_NUMBER:
        return _("The SMS could not be sent to this number. Check the number and ask for a new code.")
    if failure == NO_CREDIT:
        return _(
            "The SMS could not be sent: the center's SMS credit has run out. Please use e-mail or ask at the center."
        )
    if failure == BAD_CREDENTIALS:
        return _(
            "The SMS could not be sent: the center's SMS service is not set up correctly. "
            "Please use e-mail or ask at the center."
        )
    return _("The SMS could not be sent. Please ask for a new code later, or use e-mail.")


def delivery_state(message_id: int | None) -> tuple[str, str]:
    """("queued" | "sent" | "failed", the sentence to show when failed) of one recorded SMS."""
    message = OutboundMessage.objects.filter(pk=message_id).only("status", "failure").first()
    if message is None:
        return "failed", failure_text(REFUSED)
    if message.status == OutboundMessage.Status.FAILED:
        return "failed", failure_text(message.failure)
    if message.status == OutboundMessage.Status.SENT:
        return "sent", ""
    return "queued", ""


class SmsChannel:
    """Sends the SMS that `notify_by_sms` recorded; never queues anything for `notify_person`."""

    name = OutboundMessage.Channel.SMS

    def queue(self, *, recipient: Recipient, event: str, context: dict[str, Any]) -> OutboundMessage | None:
        return None

    def send(self, message: OutboundMessage) -> None:
        send_sms(phone=message.recipient, text=message.body)


def register_sms_channel() -> None:
    """Let `deliver` send recorded SMS (called from the app's ready())."""
    register_channel(SmsChannel())
