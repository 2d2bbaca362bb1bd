from datetime import timedelta

from otop.core.periodic import Job
from otop.workspace.services import send_due_reminders

JOBS = [Job("booking reminders sent", every=timedelta(minutes=15), run=send_due_reminders)]
