"""Reads of payments."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.urls import reverse

from otop.payments.models import Payment

QR_SALT = "otop.payments.promptpay-qr"


def promptpay_payment_for(*, order: Any) -> Payment | None:
    """The order's latest PromptPay request (waiting, received or cancelled)."""
    return Payment.objects.filter(order=order, method=Payment.Method.PROMPTPAY).order_by("-created_at", "-pk").first()


def qr_path(payment: Payment) -> str:
    """The QR image's path; signed, so order amounts cannot be read by guessing numbers."""
    return reverse("payments:promptpay-qr", args=[signing.dumps(payment.pk, salt=QR_SALT, compress=True)])


def payment_for_qr_token(token: str) -> Payment | None:
    try:
        pk = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature:
        return None
    return Payment.objects.filter(pk=pk).first()
