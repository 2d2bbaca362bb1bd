from __future__ import annotations

from django_tasks import task

from otop.channels.messenger.handlers import process_events


@task()
def process_messenger_events(*, event_ids: list[str]) -> int:
    """Answer the messages of one webhook body, in the order Meta sent them."""
    return process_events(event_ids=event_ids)
