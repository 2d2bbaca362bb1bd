from datetime import timedelta

from otop.core.periodic import Job
from otop.privacy.retention import daily_retention

JOBS = [
    Job("personal data past its retention time forgotten (or reported)", every=timedelta(days=1), run=daily_retention)
]
