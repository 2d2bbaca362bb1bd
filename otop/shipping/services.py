"""Writes of the shipping app: packing checked by scans, booking a parcel (an API carrier gives the
tracking number; a table carrier's is typed), and the tracking timeline from webhooks and polls.

Carriers' APIs are called outside any transaction; the result is written under a row lock after.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.selectors import center_profile
from otop.notifications.services import notify_by_email
from otop.orders import services as orders
from otop.orders.errors import TransitionNotAllowed
from otop.orders.models import Order
from otop.shipping.carriers import flash, thailandpost
from otop.shipping.carriers.base import CarrierEvent
from otop.shipping.errors import BookingNotAllowed, CarrierUnavailable, PackingMismatch
from otop.shipping.models import Carrier, Shipment, ShippingSettings, TrackingEvent

Status = Shipment.Status

# How far each status has come: an older scan arriving late never moves a parcel back.
PROGRESS = {
    Status.AWAITING_BOOKING: 0,
    Status.BOOKED: 1,
    Status.IN_TRANSIT: 2,
    Status.OUT_FOR_DELIVERY: 3,
    Status.FAILED: 3,
    Status.DELIVERED: 4,
    Status.RETURNED: 4,
    Status.CANCELLED: 5,
}
NEEDS_STAFF = {Status.FAILED, Status.RETURNED}
OPEN = [Status.BOOKED, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY, Status.FAILED]
TYPED_TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9-]{6,40}$")


# --- packing ------------------------------------------------------------------------------------


def packing_differences(order: Order, scanned: list[str]) -> dict[str, tuple[int, int]]:
    """SKU → (wanted, scanned) for every line that does not match (an unknown scan is wanted 0)."""
    wanted = Counter()
    for line in order.lines.all():
        wanted[line.sku] += line.quantity
    counted = Counter(code.strip() for code in scanned if code.strip())
    barcodes = dict(order.lines.filter(variant__barcode__isnull=False).values_list("variant__barcode", "sku"))
    counted = Counter({barcodes.get(code, code): n for code, n in counted.items()})
    return {
        sku: (wanted.get(sku, 0), counted.get(sku, 0))
        for sku in set(wanted) | set(counted)
        if wanted.get(sku, 0) != counted.get(sku, 0)
    }


def finish_packing(*, order: Order, scanned: list[str], actor: User | None, now: datetime | None = None) -> Order:
    """Mark a paid order packed when every scan matches its lines; raises PackingMismatch otherwise."""
    now = now or timezone.now()
    differences = packing_differences(order, scanned)
    if differences:
        raise PackingMismatch(differences)
    with transaction.atomic():
        order = orders.change_status(order=order, to_status=Order.Status.PACKED, actor=actor, now=now)
        Shipment.objects.filter(order=order).update(packed_at=now, updated_at=now)
    return order


# --- booking ------------------------------------------------------------------------------------


def _flash_addresses(shipment: Shipment) -> tuple[flash.Address, flash.Address]:
    order = shipment.order
    center = center_profile()
    config = ShippingSettings.objects.get_or_create(pk=ShippingSettings.SINGLETON_ID)[0]
    sender = flash.Address(
        name=center.name_th,
        phone=center.phone,
        province=center.province.name_th,
        district="",
        postcode=config.sender_postcode,
        detail=center.address_th,
    )
    recipient = flash.Address(
        name=order.customer_name,
        phone=order.phone,
        province=order.province.name_th if order.province else "",
        district=order.district.name_th if order.district else "",
        postcode=order.postcode,
        detail=" ".join(part for part in (order.address_line1, order.address_line2) if part),
    )
    return sender, recipient


def book_shipment(
    *, shipment: Shipment, actor: User | None, tracking_number: str = "", now: datetime | None = None
) -> Shipment:
    """Book a packed order's parcel: Flash through its API (returns `pno`), others with the typed number.

    The order moves to shipped. Raises BookingNotAllowed (nothing changes) or CarrierUnavailable.
    """
    now = now or timezone.now()
    shipment = Shipment.objects.select_related("order", "service__carrier").get(pk=shipment.pk)
    carrier = shipment.service.carrier
    if shipment.status != Status.AWAITING_BOOKING:
        raise BookingNotAllowed(_("This parcel is booked already."))
    if shipment.order.status != Order.Status.PACKED:
        raise BookingNotAllowed(_("Pack the order (scan its items) before booking its parcel."))
    if carrier.kind == Carrier.Kind.FLASH:
        sender, recipient = _flash_addresses(shipment)
        tracking_number = flash.create_order(
            out_trade_no=shipment.order.number,
            sender=sender,
            recipient=recipient,
            weight_grams=shipment.weight_grams,
            cod_amount=shipment.cod_amount or None,
        )
    else:
        tracking_number = tracking_number.strip().upper()
        pattern = thailandpost.BARCODE if carrier.kind == Carrier.Kind.THAILAND_POST else TYPED_TRACKING_NUMBER
        if not pattern.match(tracking_number):
            raise BookingNotAllowed(
                _("Type the tracking number printed on the carrier's slip (e.g. EF123456789TH)."),
                fields={"tracking_number": [_("This is not a tracking number of this carrier.")]},
            )
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.status != Status.AWAITING_BOOKING:
            raise BookingNotAllowed(_("This parcel is booked already."))
        if Shipment.objects.filter(service=locked.service, tracking_number=tracking_number).exists():
            raise BookingNotAllowed(
                _("Another parcel has this tracking number already."),
                fields={"tracking_number": [_("Another parcel has this tracking number already.")]},
            )
        locked.tracking_number = tracking_number
        locked.status = Status.BOOKED
        locked.booked_at = now
        locked.save(update_fields=["tracking_number", "status", "booked_at", "updated_at"])
        note = f"{carrier.name_th} {tracking_number}"
        orders.change_status(order=shipment.order, to_status=Order.Status.SHIPPED, actor=actor, note=note, now=now)
    return locked


# --- tracking -----------------------------------------------------------------------------------


@transaction.atomic
def record_tracking_events(*, shipment: Shipment, events: list[CarrierEvent], now: datetime | None = None) -> int:
    """Add the carrier's scans to the parcel's timeline (each once) and follow its status.

    Delivered completes the order; a failed delivery or a return flags the parcel for staff. The buyer
    hears of each new status by e-mail. Returns how many scans were new; a replay changes nothing.
    """
    now = now or timezone.now()
    shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment.pk)
    known = set(shipment.events.values_list("at", "carrier_code"))
    new = [event for event in events if (event.at, event.carrier_code) not in known]
    if not new:
        return 0
    TrackingEvent.objects.bulk_create(
        [
            TrackingEvent(
                shipment=shipment,
                at=event.at,
                status=event.status,
                carrier_code=event.carrier_code,
                description=event.description,
                location=event.location,
            )
            for event in new
        ],
        ignore_conflicts=True,
    )
    latest = max(new, key=lambda event: (PROGRESS.get(event.status, 0), event.at))
    if PROGRESS.get(latest.status, 0) >= PROGRESS[shipment.status] and latest.status != shipment.status:
        shipment.status = latest.status
        shipment.needs_attention = latest.status in NEEDS_STAFF
        shipment.save(update_fields=["status", "needs_attention", "updated_at"])
        if latest.status == Status.DELIVERED and shipment.order.status == Order.Status.SHIPPED:
            try:
                orders.change_status(
                    order=shipment.order, to_status=Order.Status.COMPLETED, note=_("Delivered"), now=now
                )
            except TransitionNotAllowed:
                pass
        if shipment.order.email:
            notify_by_email(
                event="shipping/tracking_update",
                email=shipment.order.email,
                language=shipment.order.language,
                context={"order": shipment.order, "shipment": shipment, "event": latest},
            )
    return len(new)


def handle_flash_webhook(params: dict[str, str]) -> bool:
    """A status webhook from Flash: verified by its signature first; False (nothing done) when it fails."""
    if not flash.is_configured() or not flash.is_signed(params, _flash_key()):
        return False
    update = flash.read_status_webhook(params)
    if update is None:
        return True  # signed but not about a parcel's state: acknowledged, nothing to do
    shipment = Shipment.objects.filter(tracking_number=update.pno, service__carrier__kind=Carrier.Kind.FLASH).first()
    if shipment is not None:
        record_tracking_events(shipment=shipment, events=[update.event])
    return True


def _flash_key() -> str:
    return settings.FLASH_API_KEY


def poll_thailand_post(*, now: datetime | None = None) -> int:
    """Fetch the scans of every open Thailand Post parcel (batches of 100); returns how many were new."""
    if not thailandpost.is_configured():
        return 0
    shipments = {
        s.tracking_number: s
        for s in Shipment.objects.filter(status__in=OPEN, service__carrier__kind=Carrier.Kind.THAILAND_POST).exclude(
            tracking_number=""
        )
    }
    if not shipments:
        return 0
    found = thailandpost.track(sorted(shipments))
    added = 0
    for barcode, events in found.items():
        if barcode in shipments and events:
            added += record_tracking_events(shipment=shipments[barcode], events=events, now=now)
    return added


def poll_open_parcels() -> int:
    """The periodic job: a carrier that is down is tried again at the next run."""
    try:
        return poll_thailand_post()
    except CarrierUnavailable:
        return 0
