"""A request id on every log line of a request and of the tasks it queued.

The proxy in front (deploy/nginx.conf) sends X-Request-ID; without one the app makes one. The id is
answered in the response's X-Request-ID, added to every log record (`RequestIdFilter`), and carried into
the background tasks the request queues: a `TaskOrigin` row names the request of each task (written when
the task is queued, read and removed by the worker that runs it), so a worker's log lines carry the id
of the request that asked for the work.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from otop.core.logcontext import current_request_id
from otop.core.models import TaskOrigin

# What a proxy may send as an id: letters, digits and dashes, not too long to log.
WELL_FORMED = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if WELL_FORMED.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def remember_task_origin(sender, task_result, **kwargs) -> None:
    """On task_enqueued: note the request that queued the task, if any."""
    request_id = current_request_id.get()
    if request_id:
        TaskOrigin.objects.create(task_id=str(task_result.id), request_id=request_id)


def adopt_task_origin(sender, task_result, **kwargs) -> None:
    """On task_started (in the worker): log under the id of the request that queued the task."""
    origin = TaskOrigin.objects.filter(task_id=str(task_result.id)).values_list("request_id", flat=True).first()
    current_request_id.set(origin or "")
    if origin:
        logging.getLogger("otop.tasks").info("task %s started", task_result.task.name)


def forget_task_origin(sender, task_result, **kwargs) -> None:
    """On task_finished: the id has done its work."""
    TaskOrigin.objects.filter(task_id=str(task_result.id)).delete()
    current_request_id.set("")
