from datetime import timedelta

from otop.core.periodic import Job
from otop.pos.services import forget_old_price_lists

JOBS = [Job("old register price lists forgotten", every=timedelta(days=1), run=forget_old_price_lists)]
