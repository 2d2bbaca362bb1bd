from __future__ import annotations

from django_tasks import task

from otop.payments import services


@task()
def settle_bank_transfer_task(*, transfer_id: int) -> str:
    """Match money the bank confirmed to its payment (pays the order); running it again does nothing."""
    return services.settle_bank_transfer(transfer_id=transfer_id).outcome


@task()
def apply_gateway_event_task(*, event_id: int) -> str:
    """Fetch a gateway event's charge again and apply it to its payment; running it again does nothing."""
    return services.apply_gateway_event(event_id=event_id)
