from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """Money expected or received for an order. PromptPay: the payload asks for the exact amount."""

    class Method(models.TextChoices):
        PROMPTPAY = "promptpay", _("PromptPay")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CONFIRMED = "confirmed", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.PROMPTPAY)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    promptpay_id = models.CharField(_("PromptPay ID"), max_length=15, blank=True)
    payload = models.CharField(_("QR payload"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} ({self.status})"
