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


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
