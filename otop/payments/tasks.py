from __future__ import annotations

from django_tasks import task

from otop.payments import services


@task()
def settle_bank_transfer_task(*, transfer_id: int) -> str:
    """Match money the bank confirmed to its payment (pays the order); running it again does nothing."""
    return services.settle_bank_transfer(transfer_id=transfer_id).outcome
