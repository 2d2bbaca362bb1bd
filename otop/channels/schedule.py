from datetime import timedelta

from otop.channels.feeds.build import refresh_feeds
from otop.channels.line.sales import push_sales_digests
from otop.channels.services import forget_old_events
from otop.core.periodic import Job

JOBS = [
    # Producers hear of their sales in batches, not once per item sold.
    Job("producers' LINE sales messages", every=timedelta(minutes=5), run=push_sales_digests),
    Job("old chat webhook events forgotten", every=timedelta(days=1), run=forget_old_events),
    # Meta and Google fetch the feeds on their own schedule: keep them as current as the catalogue.
    Job("catalogue feeds built again when the catalogue changed", every=timedelta(minutes=1), run=refresh_feeds),
]
