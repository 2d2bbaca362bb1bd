from datetime import timedelta

from otop.core.periodic import Job
from otop.reports.rollup import roll_up_new_documents

# Sales and returns reach the reports within a minute of being committed.
JOBS = [Job("sales rollup", every=timedelta(minutes=1), run=roll_up_new_documents)]
