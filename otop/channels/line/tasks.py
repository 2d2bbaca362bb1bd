from __future__ import annotations

from django_tasks import task

from otop.channels.line.handlers import process_events


@task()
def process_line_events(*, event_ids: list[str]) -> int:
    """Work on the events of one webhook body, in the order LINE sent them."""
    return process_events(event_ids=event_ids)
