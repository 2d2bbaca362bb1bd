from datetime import timedelta

from otop.core.periodic import Job
from otop.notifications.services import send_due_messages

# Messages a provider could not take (rate limit, its own error) are tried again here when the task
# backend cannot wait on its own, and when a worker died in the middle of an attempt.
JOBS = [Job("outbound messages retried", every=timedelta(minutes=1), run=send_due_messages)]
