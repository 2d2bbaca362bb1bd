"""Writes of the shipping app: packing checked by scans, booking a parcel (an API carrier gives the
tracking number; a table carrier's is typed), and the tracking timeline from webhooks and polls.

Carriers' APIs are called outside any transaction; the result is written under a row lock after.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.inventory import services as inventory
from otop.notifications.services import notify_by_email
from otop.orders import services as orders
from otop.orders.errors import RemittanceRefused, TransitionNotAllowed
from otop.orders.models import Order
from otop.shipping.carriers import flash, thailandpost
from otop.shipping.carriers.base import CarrierEvent
from otop.shipping.errors import (
    BookingNotAllowed,
    CarrierRefused,
    CarrierUnavailable,
    PackingMismatch,
    PickupNotAllowed,
    RemittanceFileInvalid,
    ReturnNotAllowed,
)
from otop.shipping.models import (
    Carrier,
    CarrierPush,
    CodRemittance,
    CodRemittanceLine,
    PickupRequest,
    Shipment,
    ShippingSettings,
    TrackingEvent,
)
from otop.shipping.rates import leaves_on

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


def _sender() -> flash.Address:
    center = center_profile()
    config = ShippingSettings.objects.get_or_create(pk=ShippingSettings.SINGLETON_ID)[0]
    return flash.Address(
        name=center.name_th,
        phone=center.phone,
        province=center.province.name_th,
        district="",
        postcode=config.sender_postcode,
        detail=center.address_th,
    )


def _flash_addresses(shipment: Shipment) -> tuple[flash.Address, flash.Address]:
    order = shipment.order
    sender = _sender()
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
        locked.ships_on = leaves_on(carrier, now)
        locked.save(update_fields=["tracking_number", "status", "booked_at", "ships_on", "updated_at"])
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


class FlashPush:
    """What became of a status push from Flash (the webhook answers from it)."""

    REFUSED = "refused"  # wrong signature or merchant: nothing kept, nothing asked
    IGNORED = "ignored"  # signed, but not about one of our parcels' states: nothing to do
    QUEUED = "queued"  # kept, and its parcel is checked with Flash by the worker
    REPEATED = "repeated"  # kept already: Flash sent it again, nothing more is done


def handle_flash_webhook(params: dict[str, str], *, now: datetime | None = None) -> str:
    """A status push from Flash (a FlashPush value).

    The signature is checked first, in constant time; then the push is kept once under its key and the
    parcel is queued for `sync_flash_push`, which reads the parcel's routes from Flash: the state the push
    claims is never written as such (a push that Flash's own routes contradict records what Flash says).
    """
    if not flash.is_configured() or params.get("mchId") != settings.FLASH_MCH_ID:
        return FlashPush.REFUSED
    if not flash.is_signed(params, _flash_key()):
        return FlashPush.REFUSED
    update = flash.read_status_webhook(params)
    if update is None:
        return FlashPush.IGNORED
    if not Shipment.objects.filter(tracking_number=update.pno, service__carrier__kind=Carrier.Kind.FLASH).exists():
        return FlashPush.IGNORED
    with transaction.atomic():
        push, created = CarrierPush.objects.get_or_create(
            carrier_kind=Carrier.Kind.FLASH,
            key=flash.push_key(update),
            defaults={
                "tracking_number": update.pno,
                "payload": {key: value for key, value in params.items() if key != "sign"},
                "received_at": now or timezone.now(),
            },
        )
        if not created:
            return FlashPush.REPEATED
        from otop.shipping.tasks import sync_flash_push  # the task module imports these services

        transaction.on_commit(partial(sync_flash_push.enqueue, push_id=push.pk))
    return FlashPush.QUEUED


def sync_flash_push(*, push_id: int, now: datetime | None = None) -> int:
    """The worker's half of a push: ask Flash for the parcel's routes; returns how many scans were new.

    Flash down or refusing: the push keeps the error and the periodic poll asks again later.
    """
    push = CarrierPush.objects.filter(pk=push_id, checked_at__isnull=True).first()
    if push is None:
        return 0
    try:
        added = sync_flash_parcel(pno=push.tracking_number, now=now)
        error = ""
    except CarrierUnavailable as problem:
        added, error = 0, str(problem)[:300]
    CarrierPush.objects.filter(pk=push.pk).update(checked_at=now or timezone.now(), new_events=added, error=error)
    return added


def sync_flash_parcel(*, pno: str, now: datetime | None = None) -> int:
    """Add the new scans of one Flash parcel as Flash's routes list them (raises CarrierUnavailable)."""
    shipment = Shipment.objects.filter(tracking_number=pno, service__carrier__kind=Carrier.Kind.FLASH).first()
    if shipment is None:
        return 0
    events = flash.routes(pno)
    return record_tracking_events(shipment=shipment, events=events, now=now) if events else 0


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


def poll_flash(*, now: datetime | None = None, limit: int = 500) -> int:
    """Ask Flash for the routes of its open parcels (a push missed, or Flash down when it came)."""
    if not flash.is_configured():
        return 0
    pnos = (
        Shipment.objects.filter(status__in=OPEN, service__carrier__kind=Carrier.Kind.FLASH)
        .exclude(tracking_number="")
        .order_by("updated_at", "pk")
        .values_list("tracking_number", flat=True)[:limit]
    )
    added = 0
    for pno in pnos:
        try:
            added += sync_flash_parcel(pno=pno, now=now)
        except CarrierRefused:
            continue  # Flash answered about this parcel only: the others are still asked
        except CarrierUnavailable:
            break  # Flash is down: every parcel is asked again at the next run
    return added


def poll_open_parcels() -> int:
    """The periodic job: Thailand Post's and Flash's open parcels; a carrier that is down is tried again
    at the next run."""
    added = 0
    try:
        added += poll_thailand_post()
    except CarrierUnavailable:
        pass
    return added + poll_flash()


# --- pickup -------------------------------------------------------------------------------------


def request_pickup(*, carrier: Carrier, actor: User | None, now: datetime | None = None) -> PickupRequest:
    """Ask the carrier's courier to come for its booked parcels (Flash's `notify`), once a pickup day.

    The day is the one the parcels leave on (after the cut-off, the next pickup day). Raises
    PickupNotAllowed (nothing asked) or CarrierUnavailable.
    """
    now = now or timezone.now()
    if carrier.kind != Carrier.Kind.FLASH:
        raise PickupNotAllowed(_("This carrier has no pickup request in its API: take the parcels to it."))
    day = leaves_on(carrier, now)
    asked = PickupRequest.objects.filter(carrier=carrier, day=day).first()
    if asked is not None:
        raise PickupNotAllowed(
            _("A courier is asked already for this day (pickup number %(ticket)s).") % {"ticket": asked.ticket}
        )
    parcels = Shipment.objects.filter(service__carrier=carrier, status=Status.BOOKED).count()
    if not parcels:
        raise PickupNotAllowed(_("No booked parcels are waiting for this carrier."))
    answer = flash.notify_courier(sender=_sender(), parcels=parcels, remark=f"OTOP {day.isoformat()}")
    with transaction.atomic():
        pickup = PickupRequest.objects.create(
            carrier=carrier,
            day=day,
            parcels=parcels,
            ticket=answer.ticket,
            courier_name=answer.courier_name,
            courier_phone=answer.courier_phone,
            message=answer.message,
            requested_at=now,
            requested_by=actor,
        )
        record_audit_event(
            actor=actor, action="shipping.pickup_requested", target=pickup, summary=f"{carrier.code} {answer.ticket}"
        )
    return pickup


# --- returns ------------------------------------------------------------------------------------

RETURNABLE = {Status.RETURNED, Status.FAILED}


def receive_return(*, shipment: Shipment, actor: User | None, now: datetime | None = None) -> Shipment:
    """Staff have a parcel the carrier brought back in hand: its goods go back into stock where they were
    sold from, and the order ends — cancelled when it was cash on delivery and never paid, refunded when it
    was paid (its credit note and the producers' settlements follow). Once per parcel; refused otherwise.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().select_related("order").get(pk=shipment.pk)
        if locked.return_received_at is not None:
            raise ReturnNotAllowed(_("This parcel was received back already."))
        if locked.status not in RETURNABLE:
            raise ReturnNotAllowed(_("Only a parcel the carrier returned or could not deliver can be received back."))
        order = locked.order
        note = _("Parcel %(tracking)s returned to the center and received") % {"tracking": locked.tracking_number}
        moves = inventory.return_sold_reservation(
            reservation_reference=order.reservation_reference, actor=actor, reference=f"return:{order.number}"
        )
        if order.status == Order.Status.SHIPPED:
            unpaid = order.cash_on_delivery and order.paid_at is None
            ending = Order.Status.CANCELLED if unpaid else Order.Status.REFUNDED
            orders.change_status(order=order, to_status=ending, actor=actor, note=note, now=now)
        locked.return_received_at = now
        locked.return_received_by = actor
        locked.needs_attention = False
        locked.status = Status.RETURNED
        locked.save(
            update_fields=["return_received_at", "return_received_by", "needs_attention", "status", "updated_at"]
        )
        record_audit_event(
            actor=actor,
            action="shipping.return_received",
            target=locked,
            summary=f"{order.number} {locked.tracking_number}",
            data={"units_back": sum(move.quantity for move in moves)},
        )
    return locked


# --- cash on delivery remittances ---------------------------------------------------------------

MAX_REMITTANCE_BYTES = 2 * 1024 * 1024
MAX_REMITTANCE_ROWS = 5000
TRACKING_HEADERS = {"pno", "tracking_number", "tracking number", "tracking no", "เลขพัสดุ", "หมายเลขพัสดุ"}
AMOUNT_HEADERS = {"cod_amount", "cod amount", "amount", "codamount", "ยอดเก็บเงินปลายทาง", "ยอด cod", "ยอดcod"}
AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")


def _remittance_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(row number, tracking number, amount text) of a remittance CSV; RemittanceFileInvalid when unreadable."""
    if len(data) > MAX_REMITTANCE_BYTES:
        raise RemittanceFileInvalid(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RemittanceFileInvalid(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from None
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader, [])]
    tracking_at = next((i for i, name in enumerate(header) if name in TRACKING_HEADERS), None)
    amount_at = next((i for i, name in enumerate(header) if name in AMOUNT_HEADERS), None)
    if tracking_at is None or amount_at is None:
        raise RemittanceFileInvalid(
            _(
                "The file needs a tracking number column (pno, tracking_number or เลขพัสดุ) and an amount column "
                "(cod_amount, amount or ยอดเก็บเงินปลายทาง)."
            )
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_REMITTANCE_ROWS:
            raise RemittanceFileInvalid(_("At most %(count)s parcels per file.") % {"count": MAX_REMITTANCE_ROWS})
        cells = [cell.strip() for cell in row] + ["", ""]
        rows.append(
            (number, cells[min(tracking_at, len(row))].upper()[:40], cells[min(amount_at, len(row))].replace(",", ""))
        )
    if not rows:
        raise RemittanceFileInvalid(_("The file lists no parcels."))
    return rows


def import_cod_remittance(
    *, carrier: Carrier, data: bytes, file_name: str, actor: User | None, now: datetime | None = None
) -> CodRemittance:
    """Import a carrier's remittance CSV: each parcel matched to its cash-on-delivery order is paid; any
    other line (unknown parcel, not COD, wrong amount, paid already, listed twice) is held with the reason.

    The same file twice is refused (RemittanceFileInvalid), as is a file without the columns.
    """
    now = now or timezone.now()
    rows = _remittance_rows(data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        earlier = CodRemittance.objects.filter(file_sha256=digest).first()
        if earlier is not None:
            raise RemittanceFileInvalid(_("This file was imported already (%(name)s).") % {"name": earlier.file_name})
        remittance = CodRemittance.objects.create(
            carrier=carrier,
            file_name=file_name[:200],
            file_sha256=digest,
            total=Decimal("0.00"),
            imported_at=now,
            imported_by=actor,
        )
        shipments = {
            s.tracking_number: s
            for s in Shipment.objects.select_related("order").filter(
                service__carrier=carrier, tracking_number__in={tracking for _row, tracking, _amount in rows}
            )
        }
        seen: Counter[str] = Counter(tracking for _row, tracking, _amount in rows)
        lines = []
        total = Decimal("0.00")
        note = _("Cash on delivery remitted by %(carrier)s (%(file)s)") % {
            "carrier": carrier.name_th,
            "file": remittance.file_name,
        }
        for row, tracking, amount_text in rows:
            line = CodRemittanceLine(
                remittance=remittance, row=row, tracking_number=tracking, outcome=CodRemittanceLine.Outcome.HELD
            )
            lines.append(line)
            try:
                amount = Decimal(amount_text) if AMOUNT.match(amount_text) else None
            except InvalidOperation:
                amount = None
            line.amount = amount if amount is not None else Decimal("0.00")
            if amount is None:
                line.reason = _("The amount %(text)s is not baht and satang.") % {"text": amount_text[:20]}
                continue
            total += amount
            shipment = shipments.get(tracking)
            line.shipment = shipment
            if seen[tracking] > 1:
                line.reason = _("This parcel is listed more than once in the file.")
            elif shipment is None:
                line.reason = _("No parcel of %(carrier)s has this tracking number.") % {"carrier": carrier.name_th}
            elif not shipment.cod_amount:
                line.reason = _("This parcel was not sent cash on delivery.")
            else:
                try:
                    with transaction.atomic():
                        orders.settle_cash_on_delivery(
                            order=shipment.order,
                            amount=amount,
                            reference=f"{carrier.code}:{tracking}",
                            actor=actor,
                            note=note,
                            now=now,
                        )
                except RemittanceRefused as error:
                    line.reason = error.message[:300]
                else:
                    line.outcome = CodRemittanceLine.Outcome.PAID
        CodRemittanceLine.objects.bulk_create(lines)
        CodRemittance.objects.filter(pk=remittance.pk).update(total=total)
        remittance.total = total
        held = sum(1 for line in lines if line.outcome == CodRemittanceLine.Outcome.HELD)
        record_audit_event(
            actor=actor,
            action="shipping.cod_remittance_imported",
            target=remittance,
            summary=f"{remittance.file_name}: {len(lines) - held} paid, {held} held",
            data={"total": str(total), "paid": len(lines) - held, "held": held},
        )
    return remittance


@transaction.atomic
def resolve_remittance_line(*, line: CodRemittanceLine, note: str, actor: User | None) -> CodRemittanceLine:
    """Staff dealt with a held line (e.g. asked the carrier, refunded the buyer): it leaves the list, with the note."""
    line = CodRemittanceLine.objects.select_for_update().get(pk=line.pk)
    note = note.strip()[:300]
    if line.outcome != CodRemittanceLine.Outcome.HELD:
        raise RemittanceFileInvalid(_("This line is not held."))
    if not note:
        raise RemittanceFileInvalid(
            _("Write what was done about it."), fields={"note": [_("Write what was done about it.")]}
        )
    line.outcome = CodRemittanceLine.Outcome.RESOLVED
    line.resolved_note = note
    line.save(update_fields=["outcome", "resolved_note"])
    record_audit_event(actor=actor, action="shipping.cod_line_resolved", target=line, summary=note)
    return line
