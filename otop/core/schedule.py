from datetime import timedelta

from otop.core.idempotency import forget_old_keys
from otop.core.periodic import Job

JOBS = [Job("old idempotency keys forgotten", every=timedelta(hours=1), run=forget_old_keys)]
