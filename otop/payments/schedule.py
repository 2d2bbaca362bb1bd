from datetime import timedelta

from otop.core.periodic import Job
from otop.payments.services import apply_unprocessed_gateway_events

# A gateway event whose charge could not be fetched (the gateway was down) is tried again.
JOBS = [Job("card gateway events retried", every=timedelta(minutes=1), run=apply_unprocessed_gateway_events)]
