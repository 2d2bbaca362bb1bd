from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """Money in, whatever it pays: a web order, a till sale, a room booking.

    What it pays is any row of an app above payments (`paid_for`: content type + id), so that app
    reaches its payments through a GenericRelation without payments knowing it. The status moves only
    through `services.TRANSITIONS`, each change a PaymentEvent. Money received at a counter (cash, a
    card terminal, a transfer staff saw) is recorded confirmed; a PromptPay request waits for the transfer.
    """

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        PROMPTPAY = "promptpay", _("PromptPay")
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CONFIRMED = "confirmed", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    paid_for = GenericForeignKey("content_type", "object_id")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Cash handed over at the till (the change is tendered - amount).
    tendered = models.DecimalField(_("tendered"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Our reference the payer's bank reports back (Ref1 of a PromptPay bill payment): one payment each.
    reference = models.CharField(_("reference"), max_length=20, blank=True)
    # Who moved the money: "" when staff recorded it by hand, else the bank or gateway that reported it.
    provider = models.CharField(_("provider"), max_length=30, blank=True)
    # The provider's id of the transaction (a card terminal's approval code, a bank's transaction id).
    provider_transaction_id = models.CharField(_("provider's transaction ID"), max_length=100, blank=True)
    # Ref1 of a bill payment QR (the reference's digits): what the bank's confirmation names.
    ref1 = models.CharField(_("Ref1"), max_length=20, blank=True, db_index=True)
    promptpay_id = models.CharField(_("PromptPay ID"), max_length=15, blank=True)
    payload = models.CharField(_("QR payload"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="payment_paid_for")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="payment_reference_once"),
            models.UniqueConstraint(
                fields=["provider", "provider_transaction_id"],
                condition=~Q(provider="") & ~Q(provider_transaction_id=""),
                name="payment_provider_transaction_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} ({self.status})"


class PaymentEvent(models.Model):
    """One change of a payment's status: who, when, from what to what (the payment's history)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("previous status"), max_length=10, choices=Payment.Status.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=10, choices=Payment.Status.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class BankTransfer(models.Model):
    """Money the bank told us arrived (its payment confirmation, checked with its inquiry API).

    One row per bank transaction (unique per provider and transaction id), so a repeated confirmation
    changes nothing. `outcome` says what became of the money: it paid a payment, it waits for staff
    (wrong amount, the thing it pays was already paid or could not be sold any more), or it names no
    payment we know.
    """

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Being matched")
        MATCHED = "matched", _("Paid a payment")
        HELD = "held", _("Held for staff")
        UNMATCHED = "unmatched", _("Unmatched money")
        REFUND_DUE = "refund_due", _("To be refunded")

    provider = models.CharField(_("provider"), max_length=30)
    transaction_id = models.CharField(_("bank's transaction ID"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    ref1 = models.CharField(_("Ref1"), max_length=20, blank=True)
    ref2 = models.CharField(_("Ref2"), max_length=20, blank=True)
    ref3 = models.CharField(_("Ref3"), max_length=20, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    sending_bank = models.CharField(_("sending bank"), max_length=10, blank=True)
    transacted_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("reported at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bank transfer")
        verbose_name_plural = _("bank transfers")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "transaction_id"], name="bank_transfer_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_transfer_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.transaction_id} {self.amount} ({self.outcome})"


class Refund(models.Model):
    """Money given back for a received payment, and how it went: through the gateway (its refund id) or
    a transfer staff made (its reference, from their bank's slip). Refunds of one payment never add up
    to more than it."""

    class Method(models.TextChoices):
        GATEWAY = "gateway", _("Refunded through the card gateway")
        TRANSFER = "transfer", _("Bank transfer by staff")
        CASH = "cash", _("Cash at the counter")

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    # The gateway's refund id, or the reference of the transfer staff made.
    provider_refund_id = models.CharField(_("gateway's refund ID"), max_length=100, blank=True)
    transfer_reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("refunded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refunded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["provider_refund_id"], condition=~Q(provider_refund_id=""), name="refund_gateway_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount}"


class GatewayEvent(models.Model):
    """A signed event the card gateway sent, kept once per event id; its charge is fetched again and
    applied by the task queue."""

    provider = models.CharField(_("provider"), max_length=30)
    event_id = models.CharField(_("event ID"), max_length=100)
    key = models.CharField(_("event"), max_length=60)
    charge_id = models.CharField(_("charge ID"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gateway event")
        verbose_name_plural = _("gateway events")
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="gateway_event_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.key}"


class StatementImport(models.Model):
    """One bank statement file staff imported (CSV as Thai banks export it)."""

    file_name = models.CharField(_("file"), max_length=200)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lines_read = models.PositiveIntegerField(_("credits read"), default=0)
    lines_new = models.PositiveIntegerField(_("new credits"), default=0)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    """A credit on the center's bank statement, matched to the received payment it is (or to none).

    A line is kept once however often its statement is imported (`line_key`: the bank's own values of
    the line), and a payment is matched by at most one line.
    """

    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="lines")
    line_key = models.CharField(max_length=64, unique=True)
    booked_at = models.DateTimeField(_("booked at"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statement_line",
    )

    class MatchedBy(models.TextChoices):
        TRANSACTION = "transaction", _("the bank's transaction ID")
        REF1 = "ref1", _("Ref1 and amount")
        AMOUNT = "amount", _("the only payment of that amount that day")

    matched_by = models.CharField(_("matched by"), max_length=20, choices=MatchedBy.choices, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["booked_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="statement_line_credit")]

    def __str__(self) -> str:
        return f"{self.booked_at:%Y-%m-%d} {self.amount}"
