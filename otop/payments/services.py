"""Writes of payments. PromptPay: a dynamic QR for the order's exact total to the center's PromptPay ID."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.errors import DomainError
from otop.core.selectors import center_profile
from otop.payments.models import Payment
from otop.payments.promptpay import InvalidPromptPay, build_payload


class PromptPayNotSetUp(DomainError):
    code = "promptpay_not_set_up"
    status = 503


def request_promptpay_payment(*, order: Any) -> Payment:
    """Record that an order waits for a PromptPay transfer of exactly its total."""
    profile = center_profile()
    try:
        payload = build_payload(profile.promptpay_id, order.total)
    except InvalidPromptPay:
        raise PromptPayNotSetUp(_("The center has not set up its PromptPay ID yet.")) from None
    return Payment.objects.create(
        order=order,
        method=Payment.Method.PROMPTPAY,
        amount=order.total,
        promptpay_id=profile.promptpay_id,
        payload=payload,
    )


def confirm_payment(*, order: Any, actor: User | None, now: datetime | None = None) -> int:
    """Mark the order's waiting payment as received; returns how many rows changed (0 if already)."""
    return Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(
        status=Payment.Status.CONFIRMED,
        confirmed_at=now or timezone.now(),
        confirmed_by=actor,
    )


def cancel_pending_payments(*, order: Any) -> int:
    return Payment.objects.filter(order=order, status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED)
