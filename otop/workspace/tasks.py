from __future__ import annotations

from django_tasks import task

from otop.workspace.services import send_booking_reminder, send_due_reminders


@task()
def send_booking_reminder_task(*, booking_id: int) -> bool:
    """Queued at booking time with run_after = the day before; skips itself if the booking changed."""
    return send_booking_reminder(booking_id=booking_id)


@task()
def send_due_reminders_task() -> int:
    return send_due_reminders()
