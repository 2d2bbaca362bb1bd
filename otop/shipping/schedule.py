from datetime import timedelta

from otop.core.periodic import Job
from otop.shipping.services import poll_open_parcels

# Thailand Post has no webhook for us: its open parcels are polled. Flash's are too, in case a push was
# missed or Flash was down when its push was checked.
JOBS = [Job("Open parcels tracked", every=timedelta(minutes=30), run=poll_open_parcels)]
