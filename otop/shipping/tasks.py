"""Work queued by carriers' webhooks: the webhook answers at once, and the parcel is checked with the
carrier here, by the worker."""

from __future__ import annotations

from django_tasks import task

from otop.shipping import services


@task()
def sync_flash_push(*, push_id: int) -> int:
    """Read the parcel of one Flash status push from Flash's routes (each scan is kept once)."""
    return services.sync_flash_push(push_id=push_id)
