from __future__ import annotations

from django_tasks import task

from otop.notifications.services import deliver


@task()
def send_outbound_message(*, message_id: int) -> str:
    return deliver(message_id=message_id).status
