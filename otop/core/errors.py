"""Domain errors: each names what went wrong and carries a translated message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule said no. `code` is stable for API clients; `message` is for people."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **details: Any):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.details = details


class TooManyTries(DomainError):
    """A per-client or per-target limit was reached: nothing was done; `retry_after` is in seconds
    (the API answers 429 with Retry-After)."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, *, retry_after: int, fields: dict[str, list[str]] | None = None):
        super().__init__(message, fields=fields)
        self.retry_after = max(1, int(retry_after))


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
