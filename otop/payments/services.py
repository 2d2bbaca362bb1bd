"""Writes of payments: money in for every channel (web orders, the till, room bookings).

A payment pays one row of an app above (`paid_for`): that app passes the row in and reads its
payments back through a GenericRelation. Statuses move only along TRANSITIONS, each change a
PaymentEvent. The center's PromptPay QR for an exact amount comes from `promptpay_qr` only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core import throttle
from otop.core.errors import Conflict, DomainError, TooManyTries
from otop.core.money import format_baht, to_satang
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.payments import selectors
from otop.payments.bank import PROVIDER, BankTransaction, BankUnavailable, bank_client, bank_config
from otop.payments.gateway import PROVIDER as GATEWAY_PROVIDER
from otop.payments.gateway import Charge, GatewayRefused, GatewayUnavailable, gateway_client, gateway_config
from otop.payments.models import (
    BankTransfer,
    GatewayEvent,
    Payment,
    PaymentEvent,
    Refund,
    StatementImport,
    StatementLine,
)
from otop.payments.promptpay import (
    InvalidPromptPay,
    biller_id_for,
    build_bill_payload,
    build_payload,
    qr_svg,
    target_for,
)
from otop.payments.slips import SlipUnreadable, read_slip_image
from otop.payments.statements import read_statement, references_in

Status = Payment.Status

# The one list of allowed status changes. Refunds and failed attempts add their states here.
TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.CONFIRMED, Status.CANCELLED},
    Status.CONFIRMED: set(),
    Status.CANCELLED: set(),
}


class PromptPayNotSetUp(DomainError):
    code = "promptpay_not_set_up"
    status = 503


class InvalidPayment(DomainError):
    code = "invalid_payment"


class PaymentTransitionNotAllowed(Conflict):
    code = "payment_transition_not_allowed"


@dataclass(frozen=True)
class PromptPayQr:
    promptpay_id: str
    amount: Decimal
    payload: str
    ref1: str = ""  # set when the QR is a bill payment naming our reference

    def svg(self, *, scale: int = 5) -> str:
        return qr_svg(self.payload, scale=scale)


def bill_ref1(reference: str) -> str:
    """Ref1 of a bill payment for our reference: its digits (an order's number without OTOP and dashes)."""
    return re.sub(r"[^0-9]", "", reference)[-20:]


def promptpay_qr(amount: Decimal, *, reference: str = "") -> PromptPayQr:
    """The center's PromptPay QR asking for exactly `amount` (PromptPayNotSetUp without a PromptPay ID).

    With a reference and the center's biller ID (BANK_BILLER_ID) it is a bill payment (tag 30) whose
    Ref1 names the reference, so the bank's confirmation finds the payment; otherwise the AnyID QR.
    Every PromptPay QR the center shows (web orders, the till, room bookings) is built here.
    """
    ref1 = bill_ref1(reference)
    if settings.BANK_BILLER_ID and ref1:
        try:
            biller_id = biller_id_for(settings.BANK_BILLER_ID)
            payload = build_bill_payload(biller_id, amount, ref1)
        except InvalidPromptPay:
            raise InvalidPayment(_("This amount cannot be paid by PromptPay.")) from None
        return PromptPayQr(promptpay_id=biller_id, amount=to_satang(Decimal(amount)), payload=payload, ref1=ref1)
    promptpay_id = center_profile().promptpay_id
    try:
        target_for(promptpay_id)
    except InvalidPromptPay:
        raise PromptPayNotSetUp(_("The center has not set up its PromptPay ID yet.")) from None
    try:
        payload = build_payload(promptpay_id, amount)
    except InvalidPromptPay:
        raise InvalidPayment(_("This amount cannot be paid by PromptPay.")) from None
    return PromptPayQr(promptpay_id=promptpay_id, amount=to_satang(Decimal(amount)), payload=payload)


def _check_amount(amount: Decimal) -> Decimal:
    if amount is None or amount <= 0 or amount != to_satang(amount):
        raise InvalidPayment(
            _("A payment is an amount above zero, in satang."), fields={"amount": [_("Enter an amount above zero.")]}
        )
    return amount


def _paid_for(row: models.Model) -> dict:
    return {"content_type": ContentType.objects.get_for_model(row), "object_id": row.pk}


@transaction.atomic
def request_promptpay_payment(
    *, paid_for: models.Model, amount: Decimal, reference: str = "", actor: User | None = None
) -> Payment:
    """Record that `paid_for` waits for a PromptPay transfer of exactly `amount` (with its QR payload)."""
    qr = promptpay_qr(_check_amount(amount), reference=reference)
    now = timezone.now()
    payment = Payment.objects.create(
        **_paid_for(paid_for),
        method=Payment.Method.PROMPTPAY,
        amount=qr.amount,
        reference=reference,
        ref1=qr.ref1,
        promptpay_id=qr.promptpay_id,
        payload=qr.payload,
        created_at=now,
        created_by=actor,
    )
    PaymentEvent.objects.create(payment=payment, to_status=Status.PENDING, at=now, actor=actor)
    return payment


@dataclass(frozen=True)
class ReceivedMoney:
    """Money taken at a counter: `tendered` is the cash handed over; the reference is the terminal's or bank's."""

    method: str
    amount: Decimal
    tendered: Decimal | None = None
    provider_transaction_id: str = ""


@transaction.atomic
def record_received_payments(
    *, paid_for: models.Model, received: list[ReceivedMoney], actor: User | None, at: datetime | None = None
) -> list[Payment]:
    """Record money already received for `paid_for` (confirmed at once, each with its event)."""
    at = at or timezone.now()
    target = _paid_for(paid_for)
    payments = []
    for money in received:
        if money.method not in Payment.Method.values:
            raise InvalidPayment(_("Unknown payment method."), fields={"method": [_("Choose a payment method.")]})
        payments.append(
            Payment(
                **target,
                method=money.method,
                amount=_check_amount(money.amount),
                status=Status.CONFIRMED,
                tendered=money.tendered,
                provider_transaction_id=money.provider_transaction_id.strip()[:100],
                created_at=at,
                created_by=actor,
                confirmed_at=at,
                confirmed_by=actor,
            )
        )
    Payment.objects.bulk_create(payments)
    if payments and payments[0].pk is None:  # a backend that returns no ids from bulk inserts
        payments = list(Payment.objects.filter(**target, created_at=at).order_by("pk"))
    PaymentEvent.objects.bulk_create(
        PaymentEvent(payment=payment, to_status=Status.CONFIRMED, at=at, actor=actor) for payment in payments
    )
    return payments


def _move(payment: Payment, *, to: str, actor: User | None, at: datetime, note: str = "") -> Payment:
    """Move a locked payment to another status if TRANSITIONS allow it, with its event."""
    if to not in TRANSITIONS[payment.status]:
        raise PaymentTransitionNotAllowed(
            _("A payment that is %(current)s cannot become %(wanted)s.")
            % {"current": payment.get_status_display(), "wanted": Status(to).label}
        )
    from_status = payment.status
    payment.status = to
    fields = ["status"]
    if to == Status.CONFIRMED:
        payment.confirmed_at, payment.confirmed_by = at, actor
        fields += ["confirmed_at", "confirmed_by"]
    payment.save(update_fields=fields)
    PaymentEvent.objects.create(payment=payment, from_status=from_status, to_status=to, at=at, actor=actor, note=note)
    return payment


@transaction.atomic
def confirm_payment(*, payment: Payment, actor: User | None, now: datetime | None = None, note: str = "") -> Payment:
    """The money of a waiting payment arrived: mark it received."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    return _move(payment, to=Status.CONFIRMED, actor=actor, at=now or timezone.now(), note=note)


def _pending_of(paid_for: models.Model) -> list[Payment]:
    """Its waiting PromptPay and transfer requests, locked. A card charge waiting at the gateway is not
    among them: only the gateway decides it (the money may still arrive), see `apply_card_charge`."""
    waiting = Payment.objects.select_for_update().filter(**_paid_for(paid_for), status=Status.PENDING)
    return list(waiting.exclude(provider=GATEWAY_PROVIDER).order_by("pk"))


@transaction.atomic
def confirm_pending_payments(*, paid_for: models.Model, actor: User | None, now: datetime | None = None) -> int:
    """Mark every waiting payment of `paid_for` received; returns how many (0 when none was waiting)."""
    now = now or timezone.now()
    pending = _pending_of(paid_for)
    for payment in pending:
        _move(payment, to=Status.CONFIRMED, actor=actor, at=now)
    return len(pending)


@transaction.atomic
def cancel_pending_payments(*, paid_for: models.Model, actor: User | None = None, note: str = "") -> int:
    """Cancel every waiting payment of `paid_for` (its QR no longer counts); returns how many."""
    now = timezone.now()
    pending = _pending_of(paid_for)
    for payment in pending:
        _move(payment, to=Status.CANCELLED, actor=actor, at=now, note=note)
    return len(pending)


# --- money the bank reports (bill payment confirmations) ----------------------------------------


@dataclass(frozen=True)
class Settlement:
    """What the app a payment pays made of the money: paid, or why not (and whether to refund it)."""

    paid: bool
    reason: str = ""
    refund: bool = False


# model label ("orders.order") -> settle(row, now=..., note=...) -> Settlement. The app above registers
# it from its AppConfig.ready(): it marks the row paid (stock, sale lines) inside our transaction.
PaidHandler = Callable[..., Settlement]
_paid_handlers: dict[str, PaidHandler] = {}


def register_paid_handler(label: str, handler: PaidHandler) -> None:
    _paid_handlers[label] = handler


def _settle(payment: Payment, *, now: datetime, note: str) -> Settlement:
    row = payment.paid_for
    handler = _paid_handlers.get(payment.content_type.app_label + "." + payment.content_type.model)
    if row is None or handler is None:
        return Settlement(paid=False, reason=_("What this payment paid for cannot be marked paid automatically."))
    return handler(row, now=now, note=note)


@dataclass(frozen=True)
class TransferResult:
    transfer: BankTransfer
    created: bool  # False: the bank had told us already, nothing changed


def receive_bank_transfer(confirmed: BankTransaction, *, now: datetime | None = None) -> TransferResult:
    """Keep money the bank confirmed, once per bank transaction, and queue its matching.

    The unique (provider, transaction id) decides between a first report and a repeat, also between
    concurrent callbacks: a repeat changes nothing. The matching (`settle_bank_transfer`) runs in the
    task queue after this commits, so the bank gets its answer without waiting for the order's writes.
    """
    # Imported here: the task module imports this one (services are what the task runs).
    from otop.payments.tasks import settle_bank_transfer_task

    now = now or timezone.now()
    try:
        with transaction.atomic():
            transfer = BankTransfer.objects.create(
                provider=PROVIDER,
                transaction_id=confirmed.transaction_id,
                amount=confirmed.amount,
                ref1=confirmed.ref1,
                ref2=confirmed.ref2,
                ref3=confirmed.ref3,
                payer_name=confirmed.payer_name,
                sending_bank=confirmed.sending_bank,
                transacted_at=confirmed.transacted_at,
                received_at=now,
                outcome=BankTransfer.Outcome.RECEIVED,
            )
            transaction.on_commit(partial(settle_bank_transfer_task.enqueue, transfer_id=transfer.pk))
    except IntegrityError:
        existing = BankTransfer.objects.filter(provider=PROVIDER, transaction_id=confirmed.transaction_id).first()
        if existing is None:
            raise
        return TransferResult(transfer=existing, created=False)
    return TransferResult(transfer=transfer, created=True)


@transaction.atomic
def settle_bank_transfer(*, transfer_id: int, now: datetime | None = None) -> BankTransfer:
    """Match a received transfer to its payment (the task queue runs this; running it twice does nothing).

    Ref1 + the exact amount of a waiting payment: the payment is received and what it pays is marked
    paid (for an order: stock committed, sale lines recorded) in one transaction. A wrong amount is held
    for staff with the reason; an unknown Ref1 is kept as unmatched money; money for something that can
    no longer be paid is flagged for refund. Every outcome is in the audit log.
    """
    now = now or timezone.now()
    transfer = BankTransfer.objects.select_for_update().get(pk=transfer_id)
    if transfer.outcome != BankTransfer.Outcome.RECEIVED:
        return transfer
    payment = (
        Payment.objects.select_for_update().filter(ref1=transfer.ref1).order_by("-pk").first()
        if transfer.ref1
        else None
    )
    transfer.outcome = BankTransfer.Outcome.UNMATCHED
    if payment is None:
        transfer.reason = _("No payment waits for Ref1 %(ref1)s.") % {"ref1": transfer.ref1 or "—"}
    elif payment.amount != transfer.amount:
        transfer.outcome, transfer.payment = BankTransfer.Outcome.HELD, payment
        transfer.reason = _("%(paid)s baht arrived for a payment of %(asked)s baht.") % {
            "paid": format_baht(transfer.amount, symbol=False),
            "asked": format_baht(payment.amount, symbol=False),
        }
    else:
        transfer.payment = payment
        note = (_("Confirmed by the bank (transaction %(id)s)") % {"id": transfer.transaction_id})[:200]
        settled = _settle(payment, now=now, note=note)
        if settled.paid:
            transfer.outcome = BankTransfer.Outcome.MATCHED
            _receive(payment, transfer, now=now, note=note)
        else:
            transfer.outcome = BankTransfer.Outcome.REFUND_DUE if settled.refund else BankTransfer.Outcome.HELD
            transfer.reason = settled.reason[:200]
    transfer.save(update_fields=["outcome", "reason", "payment"])
    record_audit_event(
        actor=None,
        action=f"payments.bank_transfer.{transfer.outcome}",
        target=transfer,
        summary=f"{transfer.transaction_id} {transfer.amount} Ref1 {transfer.ref1}",
        data={"reason": transfer.reason, "payment": payment.pk if payment else None},
    )
    return transfer


def _receive(payment: Payment, confirmed: BankTransfer, *, now: datetime, note: str) -> Payment:
    """The waiting payment is received with the bank's transaction; a cancelled one gets a new received payment."""
    if payment.status == Status.PENDING:
        payment.provider, payment.provider_transaction_id = PROVIDER, confirmed.transaction_id
        payment.save(update_fields=["provider", "provider_transaction_id"])
        return _move(payment, to=Status.CONFIRMED, actor=None, at=now, note=note)
    received = Payment.objects.create(
        content_type=payment.content_type,
        object_id=payment.object_id,
        method=Payment.Method.PROMPTPAY,
        amount=confirmed.amount,
        status=Status.CONFIRMED,
        provider=PROVIDER,
        provider_transaction_id=confirmed.transaction_id,
        created_at=now,
        confirmed_at=now,
    )
    PaymentEvent.objects.create(payment=received, to_status=Status.CONFIRMED, at=now, note=note)
    return received


# --- transfer slips ------------------------------------------------------------------------------

SLIP_PROVIDER = "slip"
SLIP_MAX_AGE = timedelta(days=7)


class SlipRefused(Conflict):
    """A slip that does not pay this payment; `reason` says why, the message says it in the buyer's words."""

    code = "slip_refused"

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(_slip_message(reason))


def _slip_message(reason: str) -> str:
    messages = {
        "unreadable": _("The picture could not be read. Please send a sharp picture of the whole slip."),
        "not_a_slip": _("This picture is not a bank transfer slip. Please send the slip with its QR code."),
        "not_found": _("The bank does not know this transfer. Please check the slip or ask the center."),
        "wrong_amount": _("The slip's amount is not the amount to pay. Please pay the exact amount."),
        "other_receiver": _("This transfer was paid to someone else, not to the center."),
        "already_used": _("This slip has already been used to pay."),
        "too_old": _("This slip is too old for this order."),
        "not_waiting": _("This order is not waiting for payment."),
        "unavailable": _("The bank cannot be asked right now. Please try again in a few minutes."),
    }
    return messages.get(reason, messages["unreadable"])


def _same_receiver(shown: str, promptpay_id: str) -> bool:
    """Whether the receiver the bank shows (maybe masked like xxx-xxx-5678) is our PromptPay ID or biller ID."""
    visible = re.sub(r"[^0-9]", "", shown.split("x")[-1].split("X")[-1])
    ours = {re.sub(r"[^0-9]", "", promptpay_id)}
    try:
        ours.add(target_for(promptpay_id).value)
    except InvalidPromptPay:
        pass
    ours |= {"0" + value[4:] for value in ours if value.startswith("0066")}
    if not visible or len(visible) < 4:
        return False
    if "x" in shown.lower():
        return any(value.endswith(visible) for value in ours)
    return re.sub(r"[^0-9]", "", shown) in ours


def pay_by_slip(
    *, payment: Payment, sending_bank: str, trans_ref: str, actor: User | None = None, now: datetime | None = None
) -> BankTransfer:
    """Pay a waiting payment with a transfer slip the bank confirms; SlipRefused (nothing changes) otherwise.

    The bank's record must show the exact amount, our PromptPay ID as receiver and a time after the payment
    was asked for (and within SLIP_MAX_AGE). A transRef pays one payment only: the unique (provider,
    transaction id) key decides, also between two slips offered at once.
    """
    now = now or timezone.now()
    if payment.status != Status.PENDING:
        raise SlipRefused("not_waiting")
    if BankTransfer.objects.filter(provider=SLIP_PROVIDER, transaction_id=trans_ref).exists():
        raise SlipRefused("already_used")
    try:
        found = bank_client().slip(trans_ref=trans_ref, sending_bank=sending_bank)
    except BankUnavailable:
        raise SlipRefused("unavailable") from None
    if found is None:
        raise SlipRefused("not_found")
    if found.amount != payment.amount:
        raise SlipRefused("wrong_amount")
    receiver = payment.promptpay_id or center_profile().promptpay_id
    if not _same_receiver(found.receiver_proxy, receiver):
        raise SlipRefused("other_receiver")
    earliest = payment.created_at - timedelta(minutes=5)
    if found.transacted_at is None or not (max(earliest, now - SLIP_MAX_AGE) <= found.transacted_at <= now):
        raise SlipRefused("too_old")
    try:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status != Status.PENDING:
                raise SlipRefused("not_waiting")
            transfer = BankTransfer.objects.create(
                provider=SLIP_PROVIDER,
                transaction_id=found.trans_ref,
                amount=found.amount,
                payer_name=found.sender_name,
                sending_bank=found.sending_bank,
                transacted_at=found.transacted_at,
                received_at=now,
                outcome=BankTransfer.Outcome.MATCHED,
                payment=locked,
            )
            note = (_("Transfer slip %(ref)s confirmed by the bank") % {"ref": found.trans_ref})[:200]
            settled = _settle(locked, now=now, note=note)
            if not settled.paid:
                transfer.outcome = BankTransfer.Outcome.REFUND_DUE if settled.refund else BankTransfer.Outcome.HELD
                transfer.reason = settled.reason[:200]
                transfer.save(update_fields=["outcome", "reason"])
            else:
                locked.provider, locked.provider_transaction_id = SLIP_PROVIDER, found.trans_ref
                locked.save(update_fields=["provider", "provider_transaction_id"])
                _move(locked, to=Status.CONFIRMED, actor=actor, at=now, note=note)
            record_audit_event(
                actor=actor,
                action=f"payments.slip.{transfer.outcome}",
                target=transfer,
                summary=f"{found.trans_ref} {found.amount}",
                data={"payment": locked.pk, "reason": transfer.reason},
            )
    except IntegrityError:
        raise SlipRefused("already_used") from None
    return transfer


MAX_SLIP_BYTES = 5 * 1024 * 1024

# Each slip sent asks the bank; a buyer sends one or two. Counted per order (the page) or per chat.
SLIP_TRIES = throttle.Rate(count=5, seconds=3600)


def count_slip_try(*, target: str) -> None:
    """Count one slip sent for `target` ("order:<number>", "chat:<platform>:<id>"); TooManyTries, with
    nothing asked of the bank, once the target sent SLIP_TRIES slips in the hour."""
    verdict = throttle.hit("payments.slip", target, SLIP_TRIES)
    if not verdict.allowed:
        raise TooManyTries(
            _("Too many slips were sent for this order. Please wait %(minutes)s minutes, or contact the center.")
            % {"minutes": -(-verdict.retry_after // 60)},
            retry_after=verdict.retry_after,
        )


def pay_by_slip_image(*, payment: Payment, image: bytes, actor: User | None = None) -> BankTransfer:
    """Read a slip picture's mini-QR and pay with it (`pay_by_slip`); SlipRefused with the reason otherwise."""
    if len(image) > MAX_SLIP_BYTES:
        raise SlipRefused("unreadable")
    try:
        slip = read_slip_image(image)
    except SlipUnreadable as error:
        raise SlipRefused(error.reason) from None
    return pay_by_slip(payment=payment, sending_bank=slip.sending_bank, trans_ref=slip.trans_ref, actor=actor)


def slips_are_checked() -> bool:
    """Whether slips can be verified: the bank's API settings are there."""
    config = bank_config()
    return bool(config.base_url and config.api_key and config.api_secret)


# --- the card and e-wallet gateway ---------------------------------------------------------------


class GatewayNotSetUp(DomainError):
    code = "gateway_not_set_up"
    status = 503


class CardRefused(Conflict):
    """The gateway refused the charge (a declined card, a wrong token) or could not be asked; nothing is kept."""

    code = "card_refused"


@dataclass(frozen=True)
class CardStart:
    payment: Payment
    authorize_uri: str  # where to send the buyer (3-D Secure, the wallet's app); empty when already decided


def start_card_payment(
    *,
    paid_for: models.Model,
    amount: Decimal,
    reference: str,
    return_uri: str,
    card_token: str = "",
    source_type: str = "",
    actor: User | None = None,
) -> CardStart:
    """Charge a card token (or start an e-wallet source) for exactly `amount` of `paid_for`.

    The gateway's answer to our own request is its word: a charge it already calls successful is applied
    at once (`apply_card_charge`); a pending one sends the buyer to its `authorize_uri` (3-D Secure) and
    waits for the webhook or the buyer's return, each of which fetches the charge again. A refused or
    unanswered charge keeps nothing (CardRefused).
    """
    config = gateway_config()
    if not config.is_enabled:
        raise GatewayNotSetUp(_("Card payments are not set up."))
    amount = _check_amount(amount)
    if bool(card_token) == bool(source_type):
        raise InvalidPayment(_("Give a card token or a payment source."))
    try:
        charge = gateway_client().create_charge(
            amount=amount,
            return_uri=return_uri,
            reference=reference,
            card_token=card_token[:100],
            source_type=source_type[:40],
            idempotency_key=str(uuid.uuid4()),
        )
    except GatewayRefused as error:
        raise CardRefused(_("The card was refused: %(message)s") % {"message": error.message or error.code}) from None
    except GatewayUnavailable:
        raise CardRefused(_("The card payment service cannot be reached. Please try again in a few minutes.")) from None
    if charge.has_failed:
        raise CardRefused(
            _("The card was refused: %(message)s") % {"message": charge.failure_message or charge.failure_code}
        )
    if charge.amount != amount:
        raise CardRefused(_("The card payment service answered another amount."))
    now = timezone.now()
    with transaction.atomic():
        payment = Payment.objects.create(
            **_paid_for(paid_for),
            method=Payment.Method.CARD,
            amount=amount,
            provider=GATEWAY_PROVIDER,
            provider_transaction_id=charge.id,
            created_at=now,
            created_by=actor,
        )
        PaymentEvent.objects.create(payment=payment, to_status=Status.PENDING, at=now, actor=actor, note=charge.id)
    if charge.is_successful:
        payment = _apply_charge(charge, now=now) or payment
        return CardStart(payment=payment, authorize_uri="")
    return CardStart(payment=payment, authorize_uri=charge.authorize_uri)


def apply_card_charge(*, charge_id: str, now: datetime | None = None) -> Payment | None:
    """Fetch the charge from the gateway and apply what it says to its payment, once.

    Called by the webhook's task and when the buyer comes back from 3-D Secure: neither is trusted, the
    gateway is asked. Successful for the payment's exact amount → received, and what it pays is marked
    paid (or, when that can no longer be sold, the money goes back through the gateway); failed or
    expired → cancelled. Raises GatewayUnavailable when the gateway cannot be asked (the task retries).
    """
    try:
        charge = gateway_client().charge(charge_id)
    except GatewayRefused:
        return None  # the gateway does not know it
    return _apply_charge(charge, now=now or timezone.now())


def _apply_charge(charge: Charge, *, now: datetime) -> Payment | None:
    refund_reason = ""
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=GATEWAY_PROVIDER, provider_transaction_id=charge.id)
            .first()
        )
        if payment is None or payment.status != Status.PENDING:
            return payment  # unknown, or applied already: nothing changes
        note = (_("Card charge %(id)s confirmed by the gateway") % {"id": charge.id})[:200]
        if charge.is_successful and charge.amount == payment.amount:
            settled = _settle(payment, now=now, note=note)
            _move(payment, to=Status.CONFIRMED, actor=None, at=now, note=note)
            if settled.paid:
                for other in _pending_of(payment.paid_for):
                    _move(other, to=Status.CANCELLED, actor=None, at=now, note=_("Paid by card instead"))
            else:
                refund_reason = settled.reason
            outcome = "confirmed" if settled.paid else "refund_due"
        elif charge.has_failed:
            failure = (charge.failure_message or charge.failure_code or charge.status)[:150]
            _move(payment, to=Status.CANCELLED, actor=None, at=now, note=failure)
            outcome = "failed"
        elif charge.is_successful:
            outcome = "held"  # the gateway took another amount: staff decide
        else:
            return payment  # still waiting for the buyer
        record_audit_event(
            actor=None,
            action=f"payments.card.{outcome}",
            target=payment,
            summary=f"{charge.id} {charge.amount}",
            data={"status": charge.status, "reason": refund_reason},
        )
    if refund_reason:
        try:
            refund_payment(
                payment=payment, amount=payment.amount, method=Refund.Method.GATEWAY, reason=refund_reason, actor=None
            )
        except RefundRefused as error:  # the money stays received: staff refund it from the audit log's entry
            record_audit_event(
                actor=None,
                action=selectors.CARD_REFUND_FAILED,
                target=payment,
                summary=f"{charge.id} {charge.amount}",
                data={"reason": refund_reason, "error": error.message},
            )
    return payment


# --- refunds ------------------------------------------------------------------------------------


class RefundRefused(Conflict):
    code = "refund_refused"


def retry_card_refund(*, payment: Payment, actor: User | None, now: datetime | None = None) -> Refund:
    """Staff give back, through the gateway, what is left of a card payment whose automatic refund failed
    (`selectors.card_refunds_due`). RefundRefused (nothing kept) when it is not one of those or the gateway
    refuses again."""
    due = selectors.card_refunds_due().filter(pk=payment.pk).first()
    if due is None:
        raise RefundRefused(_("This card payment has nothing left to give back."))
    reason = selectors.card_refund_reason(due) or _("Refund")
    return refund_payment(
        payment=due, amount=due.amount - due.refunded, method=Refund.Method.GATEWAY, reason=reason, actor=actor, now=now
    )


def refunded_total(payment: Payment) -> Decimal:
    return payment.refunds.aggregate(total=models.Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def refund_payment(
    *,
    payment: Payment,
    amount: Decimal,
    method: str,
    reason: str,
    actor: User | None,
    transfer_reference: str = "",
    now: datetime | None = None,
) -> Refund:
    """Give back `amount` of a received payment and record how (RefundRefused, nothing kept, otherwise).

    Under a lock on the payment, so refunds never add up to more than it, also when two are made at
    once. Through the gateway: its refund is made first (with an idempotency key naming this refund, so
    a retry makes one) and its id recorded; a transfer by staff needs the transfer's reference.
    """
    now = now or timezone.now()
    amount = _check_amount(amount)
    if method not in Refund.Method.values:
        raise InvalidPayment(_("Choose how the money goes back."))
    reason = reason.strip()[:300]
    if not reason:
        raise RefundRefused(_("Give the reason for the refund."))
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Status.CONFIRMED:
        raise RefundRefused(_("Only money received can be refunded."))
    left = payment.amount - refunded_total(payment)
    if amount > left:
        raise RefundRefused(_("At most %(left)s can still be refunded of this payment.") % {"left": format_baht(left)})
    provider_refund_id = ""
    transfer_reference = transfer_reference.strip()[:100]
    if method == Refund.Method.GATEWAY:
        if payment.provider != GATEWAY_PROVIDER:
            raise RefundRefused(_("Only a card payment can be refunded through the gateway."))
        count = payment.refunds.count()
        try:
            refund = gateway_client().refund(
                charge_id=payment.provider_transaction_id,
                amount=amount,
                idempotency_key=f"otop-refund-{payment.pk}-{count + 1}",
            )
        except GatewayRefused as error:
            raise RefundRefused(
                _("The gateway refused the refund: %(message)s") % {"message": error.message or error.code}
            ) from None
        except GatewayUnavailable:
            raise RefundRefused(_("The card payment service cannot be reached. Please try again later.")) from None
        if refund.amount != amount:
            raise RefundRefused(_("The gateway refunded another amount; ask the gateway's support."))
        provider_refund_id = refund.id
    elif method == Refund.Method.TRANSFER and not transfer_reference:
        raise RefundRefused(_("Give the reference of the transfer (from its slip)."))
    refund = Refund.objects.create(
        payment=payment,
        amount=amount,
        method=method,
        provider_refund_id=provider_refund_id,
        transfer_reference=transfer_reference,
        reason=reason,
        created_at=now,
        created_by=actor,
    )
    record_audit_event(
        actor=actor,
        action="payments.refund",
        target=payment,
        summary=f"{refund.amount} {refund.method} {provider_refund_id or transfer_reference}",
        data={"reason": reason},
    )
    return refund


def receive_gateway_event(*, event_id: str, key: str, charge_id: str, now: datetime | None = None) -> bool:
    """Keep a signed gateway event once and queue the fetch of its charge; False for a repeat (nothing changes)."""
    # Imported here: the task module imports this one (services are what the task runs).
    from otop.payments.tasks import apply_gateway_event_task

    try:
        with transaction.atomic():
            event = GatewayEvent.objects.create(
                provider=GATEWAY_PROVIDER,
                event_id=event_id[:100],
                key=key[:60],
                charge_id=charge_id[:100],
                received_at=now or timezone.now(),
            )
            if charge_id:
                transaction.on_commit(partial(apply_gateway_event_task.enqueue, event_id=event.pk))
    except IntegrityError:
        return False
    return True


def apply_gateway_event(*, event_id: int) -> str:
    """The task's work: fetch the event's charge from the gateway and apply it (once: the payment's status decides)."""
    event = GatewayEvent.objects.get(pk=event_id)
    payment = apply_card_charge(charge_id=event.charge_id)
    GatewayEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(processed_at=timezone.now())
    return payment.status if payment else "unknown"


def apply_unprocessed_gateway_events(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Try again the gateway events whose charge could not be fetched (the gateway was down); returns how many."""
    cutoff = timezone.now() - older_than
    waiting = list(
        GatewayEvent.objects.filter(processed_at__isnull=True, received_at__lte=cutoff)
        .exclude(charge_id="")
        .values_list("pk", flat=True)[:100]
    )
    done = 0
    for pk in waiting:
        try:
            apply_gateway_event(event_id=pk)
        except GatewayUnavailable:
            break  # still down: the next run tries again
        done += 1
    return done


def slip_in_image(image: bytes):
    """The slip a picture shows (its mini-QR read and checked), or None when it is not a readable slip."""
    if len(image) > MAX_SLIP_BYTES:
        return None
    try:
        return read_slip_image(image)
    except SlipUnreadable:
        return None


# --- reconciliation with the bank statement ------------------------------------------------------

# Money that reaches the center's bank account one payment at a time (a card gateway pays out in batches).
BANKED_METHODS = (Payment.Method.PROMPTPAY, Payment.Method.TRANSFER)


def _match_line(line: StatementLine) -> tuple[Payment | None, str]:
    """The received payment a credit is: by the bank's transaction id, by Ref1 and amount, or by a unique amount."""
    words = references_in(line.description)
    candidates = Payment.objects.filter(
        status=Status.CONFIRMED, method__in=BANKED_METHODS, statement_line__isnull=True, amount=line.amount
    )
    if words:
        by_transaction = candidates.filter(provider_transaction_id__in=words).order_by("pk").first()
        if by_transaction is not None:
            return by_transaction, "transaction"
        by_ref1 = candidates.filter(ref1__in=words).exclude(ref1="").order_by("pk").first()
        if by_ref1 is not None:
            return by_ref1, "ref1"
    day = timezone.localtime(line.booked_at).date()
    same_day = list(candidates.filter(confirmed_at__date=day)[:2])
    others = StatementLine.objects.filter(payment__isnull=True, amount=line.amount, booked_at__date=day).exclude(
        pk=line.pk
    )
    if len(same_day) == 1 and not others.exists():
        return same_day[0], "amount"
    return None, ""


def import_statement(
    *, data: bytes, file_name: str, actor: User | None, now: datetime | None = None
) -> StatementImport:
    """Import a bank statement (all or nothing) and match its credits to received payments.

    A credit already imported (the same row of an earlier file) is not kept again. Credits that matched
    nothing before are tried again, since the payment may have been confirmed since.
    """
    credits = read_statement(data)
    now = now or timezone.now()
    with transaction.atomic():
        statement = StatementImport.objects.create(
            file_name=file_name[:200], imported_at=now, imported_by=actor, lines_read=len(credits)
        )
        known = set(
            StatementLine.objects.filter(line_key__in=[credit.key for credit in credits]).values_list(
                "line_key", flat=True
            )
        )
        new = [
            StatementLine(
                statement=statement,
                line_key=credit.key,
                booked_at=credit.booked_at,
                amount=credit.amount,
                description=credit.description,
            )
            for credit in credits
            if credit.key not in known
        ]
        StatementLine.objects.bulk_create(new)
        statement.lines_new = len(new)
        statement.save(update_fields=["lines_new"])
        for line in StatementLine.objects.select_for_update().filter(payment__isnull=True).order_by("booked_at", "pk"):
            payment, how = _match_line(line)
            if payment is not None:
                line.payment, line.matched_by = payment, how
                line.save(update_fields=["payment", "matched_by"])
        record_audit_event(
            actor=actor,
            action="payments.statement_imported",
            target=statement,
            summary=f"{statement.file_name}: {len(credits)} credits, {len(new)} new",
        )
    return statement


# The e-wallets and banking apps the buyer can pay with through the gateway (its source types).
WALLET_SOURCES = {
    "truemoney_jumpapp": "TrueMoney",
    "rabbit_linepay": "Rabbit LINE Pay",
    "mobile_banking_kbank": "K PLUS",
    "mobile_banking_scb": "SCB EASY",
}


def cards_are_taken() -> bool:
    """Whether the gateway is set up (its secret key and its signed webhooks)."""
    config = gateway_config()
    return config.is_enabled and bool(config.webhook_secret)


def waiting_card_charges(paid_for: models.Model) -> list[str]:
    """The gateway charges of `paid_for` still waiting (the buyer may be coming back from 3-D Secure)."""
    return list(
        Payment.objects.filter(**_paid_for(paid_for), provider=GATEWAY_PROVIDER, status=Status.PENDING).values_list(
            "provider_transaction_id", flat=True
        )[:5]
    )
