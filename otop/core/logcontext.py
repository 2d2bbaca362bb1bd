"""The request id of the work in hand, for log records (set by core.requestid; read before apps load)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("otop_request_id", default="")


class RequestIdFilter(logging.Filter):
    """Put the current request id (empty outside requests and their tasks) on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # django.request logs an error answer after the middleware has finished: the request knows its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or current_request_id.get()
        return True
