"""What orders tells the apps above it, which orders itself never imports (the LINE channel, say).

`order_status_changed` is sent after the transaction that changed an order's status commits, with
`order`, `from_status`, `to_status` and the staff's `note` (e.g. a parcel's tracking number).
"""

from django.dispatch import Signal

order_status_changed = Signal()
