"""The privacy notice's versions, consents per purpose, and people's requests about their data (PDPA)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from otop.core import consent, retention

# The PDPA gives a data controller 30 days to answer a data subject's request.
ANSWER_WITHIN = timedelta(days=30)


class Notice(models.Model):
    """One published version of the privacy notice. Versions are never edited: a change is a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    body_th = models.TextField(_("notice (Thai)"))
    body_en = models.TextField(_("notice (English)"))
    # A change that matters to what people agreed to asks everyone who consented to confirm again.
    asks_consent_again = models.BooleanField(_("ask for consent again"), default=False)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class ConsentRecord(models.Model):
    """One decision of a person about one purpose, appended, never changed: the latest one counts."""

    class Purpose(models.TextChoices):
        MARKETING_EMAIL = consent.MARKETING_EMAIL, _("News and promotions by e-mail")
        MARKETING_CHAT = consent.MARKETING_CHAT, _("News and promotions in LINE or Messenger")
        STORY_PHOTOS = consent.STORY_PHOTOS, _("Photos of me in product stories")

    class Channel(models.TextChoices):
        WEB = "web", _("website")
        LINE = "line", "LINE"
        MESSENGER = "messenger", "Messenger"
        EMAIL = "email", _("link in an e-mail")
        STAFF = "staff", _("recorded by staff")

    subject = models.CharField(_("person"), max_length=200, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="consent_records",
    )  # fmt: skip
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("given"))
    notice_version = models.PositiveIntegerField(_("notice version"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "purpose", "-at"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {'+' if self.granted else '-'} {self.at:%Y-%m-%d}"


class DataRequest(models.Model):
    """A person's request to receive, correct or erase their data, answered by staff within 30 days."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("a copy of my data")
        CORRECTION = "correction", _("a correction")
        ERASURE = "erasure", _("erasure of my data")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="data_requests",
    )  # fmt: skip
    # A guest without an account asks under the e-mail or phone they proved with a one-time code; staff
    # answer there. Emptied once the request is closed by an erasure.
    contact_kind = models.CharField(
        _("contact type"), max_length=10, blank=True, choices=[("email", _("e-mail")), ("phone", _("phone"))]
    )
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    # Who asked, kept so staff can answer even after the account's personal fields are erased.
    reference = models.CharField(_("request number"), max_length=20, unique=True)
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(_("asked at"))
    due_at = models.DateTimeField(_("answer by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    outcome = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["due_at", "pk"]
        permissions = [("handle_datarequest", _("Can answer people's requests about their personal data"))]

    def __str__(self) -> str:
        return self.reference


class ContactCode(models.Model):
    """A one-time code sent to an e-mail or phone, so that a guest without an account proves the contact is
    theirs before seeing or asking about what we hold under it.

    Neither the code nor the contact is stored: both are kept as keyed digests (HMAC with the secret key).
    A code lives 10 minutes, is used once, and is locked after 5 wrong tries.
    """

    contact_digest = models.CharField(_("contact (digest)"), max_length=64, db_index=True)
    code_digest = models.CharField(_("code (digest)"), max_length=64)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The e-mail or SMS that carried it: an SMS the provider refused makes the code unusable.
    message = models.ForeignKey(
        "notifications.OutboundMessage", verbose_name=_("message"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"code {self.pk}"


class RetentionRule(models.Model):
    """How long one kind of personal data is kept (a target registered in core.retention), edited by the manager.

    A rule starts in report mode: the daily job only counts what it would forget (the dry run), and the
    manager switches it to apply after reading that report.
    """

    class Unit(models.TextChoices):
        DAYS = retention.DAYS, _("days")
        MONTHS = retention.MONTHS, _("months")
        YEARS = retention.YEARS, _("years")

    key = models.CharField(_("data"), max_length=40, unique=True)
    keep_for = models.PositiveIntegerField(_("keep for"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    applies = models.BooleanField(_("apply (not only report)"), default=False)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_cutoff = models.DateTimeField(_("older than"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("records"), null=True, blank=True)
    last_applied = models.BooleanField(_("applied"), default=False)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["key"]
        constraints = [models.CheckConstraint(condition=models.Q(keep_for__gte=1), name="retention_keep_at_least_1")]

    def __str__(self) -> str:
        return f"{self.key}: {self.keep_for} {self.unit}"


# PDPA s.37(4): the PDPC is told within 72 hours of our becoming aware of a breach, unless it is unlikely to
# put people's rights at risk; the people themselves are told without delay when the risk is high.
NOTIFY_PDPC_WITHIN = timedelta(hours=72)


class Breach(models.Model):
    """A personal data breach: what happened, who is affected, the 72-hour clock and the notices sent."""

    class Risk(models.TextChoices):
        UNLIKELY = "unlikely", _("unlikely to put people at risk (PDPC not notified; say why)")
        RISK = "risk", _("a risk to people (notify the PDPC within 72 hours)")
        HIGH = "high", _("a high risk (notify the PDPC and the people affected)")

    class Scope(models.TextChoices):
        ORDERS = "orders", _("buyers of orders placed in the period")
        BOOKINGS = "bookings", _("room guests of bookings in the period")
        PRODUCERS = "producers", _("producers (national ID, bank accounts)")
        ACCOUNTS = "accounts", _("account holders who joined before the end of the period")

    reference = models.CharField(_("incident number"), max_length=20, unique=True)
    title = models.CharField(_("what happened (short)"), max_length=200)
    description = models.TextField(_("what happened, how it was found"))
    data_affected = models.CharField(_("personal data affected"), max_length=300)
    discovered_at = models.DateTimeField(_("we became aware at"))
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.RISK)
    scope = models.CharField(_("who is affected"), max_length=12, choices=Scope.choices, blank=True)
    period_start = models.DateTimeField(_("period from"), null=True, blank=True)
    period_end = models.DateTimeField(_("period to"), null=True, blank=True)
    measures = models.TextField(_("what we did and what people can do"), blank=True)
    pdpc_notified_at = models.DateTimeField(_("PDPC notified at"), null=True, blank=True)
    pdpc_reference = models.CharField(_("PDPC reference"), max_length=80, blank=True)
    people_notified_at = models.DateTimeField(_("people notified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("data breach")
        verbose_name_plural = _("data breaches")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="breach_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def pdpc_due_at(self):
        return self.discovered_at + NOTIFY_PDPC_WITHIN
