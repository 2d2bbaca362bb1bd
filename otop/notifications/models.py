from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """One message sent (or tried) to a person on one channel: the record that it went out."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LINE = "line", _("LINE")
        MESSENGER = "messenger", "Messenger"
        SMS = "sms", "SMS"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.CharField(_("event"), max_length=80, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=200)
    language = models.CharField(_("language"), max_length=2, default="th")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What a channel sends when it is more than words (LINE message objects); empty for e-mail.
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # Sent with every attempt (LINE's X-Line-Retry-Key), so a retried message is delivered once.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Queued: when the next attempt is due (empty: now). Sending: when a stuck attempt may be taken over.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, db_index=True)
    error = models.TextField(_("error"), blank=True)
    # Why the provider refused it for good, in a word a page can explain (notifications.sms: no_credit, ...).
    failure = models.CharField(_("failure"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} ({self.status})"
