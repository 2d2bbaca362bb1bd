from datetime import timedelta

from otop.core.periodic import Job
from otop.producers.services import flag_expiring_certifications

JOBS = [Job("certifications flagged", every=timedelta(days=1), run=flag_expiring_certifications)]
