"""Idempotency keys: a client that retries a write after a lost answer gets the first answer back.

Any operation that creates something a retry must not create twice (an order over the API, a LINE or
Meta order, a till's payment) wraps its work in `run_once`. The key is stored with a fingerprint of
the request and the answer, in the same transaction as the work:

- a new key: the work runs; if it succeeds the key and the answer are committed with it, if it is
  refused (a DomainError) nothing is kept, so the client may correct the request and retry;
- the same key and the same request again: the stored answer, nothing runs (`replayed`);
- the same key with a different request: `IdempotencyKeyReused` (409), nothing runs.

Two requests with the same key at the same moment: the second one's insert waits on the unique index
until the first commits, then reads its answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.core.errors import Conflict, DomainError
from otop.core.models import IdempotencyKey

# Printable ASCII, as in the IETF draft and Stripe's keys; a UUID fits easily.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
KEPT_FOR = timedelta(hours=24)


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any
    replayed: bool


def fingerprint(*parts: Any) -> str:
    """A stable hash of the request (its parsed body and who sent it)."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidIdempotencyKey(_("An Idempotency-Key is 1 to 255 printable ASCII characters."))
    return key


def run_once(*, scope: str, key: str, request_hash: str, work: Callable[[], tuple[int, Any]]) -> Outcome:
    """Run `work` (returning status and a JSON-ready body) once per (scope, key); see the module docstring."""
    check_key(key)
    stored = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if stored is not None:
        return _replay(stored, request_hash)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                scope=scope, key=key, request_hash=request_hash, status_code=0, response={}
            )
            status, body = work()
            record.status_code, record.response = status, body
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        stored = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if stored is None:
            raise
        return _replay(stored, request_hash)
    return Outcome(status=status, body=body, replayed=False)


def _replay(stored: IdempotencyKey, request_hash: str) -> Outcome:
    if stored.request_hash != request_hash:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used for a different request. Use a new key for a new request.")
        )
    return Outcome(status=stored.status_code, body=stored.response, replayed=True)


def forget_old_keys(*, now: datetime | None = None) -> int:
    """Delete keys older than KEPT_FOR; a client retries within minutes, not days."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
