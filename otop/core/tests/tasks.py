"""A background task for the tests of task plumbing (request ids, several workers)."""

from __future__ import annotations

import os
import time

from django_tasks import task

from otop.core.logcontext import current_request_id


@task()
def report_request_id() -> str:
    """Return the request id the worker runs this task under."""
    return current_request_id.get()


@task()
def append_line(*, path: str, line: str, pause_seconds: float = 0.0) -> None:
    """Append one line to a file: a record of each run that survives the process (O_APPEND is atomic)."""
    time.sleep(pause_seconds)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, f"{line} {os.getpid()}\n".encode())
    finally:
        os.close(descriptor)
