from datetime import timedelta

from otop.channels.line.sales import push_sales_digests
from otop.core.periodic import Job

# Producers hear of their sales in batches, not once per item sold.
JOBS = [Job("producers' LINE sales messages", every=timedelta(minutes=5), run=push_sales_digests)]
