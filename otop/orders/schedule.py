from datetime import timedelta

from otop.core.periodic import Job
from otop.orders.services import expire_overdue_orders

# Orders also expire when the next one is placed; the clock frees their stock when nobody orders.
JOBS = [Job("unpaid orders expired", every=timedelta(minutes=1), run=expire_overdue_orders)]
