"""Writes of payments: money in for every channel (web orders, the till, room bookings).

A payment pays one row of an app above (`paid_for`): that app passes the row in and reads its
payments back through a GenericRelation. Statuses move only along TRANSITIONS, each change a
PaymentEvent. The center's PromptPay QR for an exact amount comes from `promptpay_qr` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.errors import Conflict, DomainError
from otop.core.money import to_satang
from otop.core.selectors import center_profile
from otop.payments.models import Payment, PaymentEvent
from otop.payments.promptpay import InvalidPromptPay, build_payload, qr_svg, target_for

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

    def svg(self, *, scale: int = 5) -> str:
        return qr_svg(self.payload, scale=scale)


def promptpay_qr(amount: Decimal) -> PromptPayQr:
    """The center's PromptPay QR asking for exactly `amount` (PromptPayNotSetUp without a PromptPay ID).

    Every PromptPay QR the center shows (web orders, the till, room bookings) is built here.
    """
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
    qr = promptpay_qr(_check_amount(amount))
    now = timezone.now()
    payment = Payment.objects.create(
        **_paid_for(paid_for),
        method=Payment.Method.PROMPTPAY,
        amount=qr.amount,
        reference=reference,
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
    return list(Payment.objects.select_for_update().filter(**_paid_for(paid_for), status=Status.PENDING).order_by("pk"))


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
