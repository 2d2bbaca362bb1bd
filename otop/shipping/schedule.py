from datetime import timedelta

from otop.core.periodic import Job
from otop.shipping.services import poll_open_parcels

# Thailand Post has no webhook for us: open parcels are polled (Flash tells us through its webhook).
JOBS = [Job("Thailand Post parcels tracked", every=timedelta(minutes=30), run=poll_open_parcels)]
