from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.validators import validate_thai_phone, validate_thai_tax_id


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CenterProfile(models.Model):
    """The center running this installation: one row, edited by the manager."""

    SINGLETON_ID = 1

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_name_th = models.CharField(_("legal name (Thai)"), max_length=200, blank=True)
    legal_name_en = models.CharField(_("legal name (English)"), max_length=200, blank=True)
    address_th = models.TextField(_("address (Thai)"), blank=True)
    address_en = models.TextField(_("address (English)"), blank=True)
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    tax_id = models.CharField(_("tax ID"), max_length=13, blank=True, validators=[validate_thai_tax_id])
    branch_code = models.CharField(
        _("branch code"), max_length=5, default="00000", help_text=_("00000 is the head office.")
    )
    promptpay_id = models.CharField(
        _("PromptPay ID"),
        max_length=15,
        blank=True,
        help_text=_("Mobile number (10 digits), tax ID (13 digits) or e-wallet ID (15 digits)."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_thai_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    line_oa_id = models.CharField(_("LINE Official Account"), max_length=50, blank=True)
    website_url = models.URLField(_("website"), blank=True)
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(18, 0))
    open_on_public_holidays = models.BooleanField(_("open on public holidays"), default=True)
    default_commission_percent = models.DecimalField(
        _("default consignment commission (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("center profile")
        verbose_name_plural = _("center profile")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="center_profile_is_singleton"),
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="center_opens_before_closing"),
        ]

    def __str__(self) -> str:
        return self.name_th

    def name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name_th


class OpeningException(models.Model):
    """A day when the center closes or keeps other hours than usual."""

    day = models.DateField(_("date"), unique=True)
    is_closed = models.BooleanField(_("closed all day"), default=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    note_th = models.CharField(_("note (Thai)"), max_length=200, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False, opens_at__lt=models.F("closes_at")),
                name="opening_exception_has_hours_unless_closed",
            )
        ]

    def __str__(self) -> str:
        return str(self.day)


class AuditEvent(models.Model):
    """Who did what, when: one row per business action that must be traceable."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target"), max_length=64)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key for one operation, with the answer it got: a retry gets the same answer.

    The unique (scope, key) is what makes a retry after a lost answer safe: the row is written in the
    same transaction as the work, so either both exist or neither does.
    """

    scope = models.CharField(_("operation"), max_length=50)
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"))
    response = models.JSONField(_("answer"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class PeriodicJob(models.Model):
    """When a periodic job last ran, shared by every clock (`run_periodic`) so that two clocks run it once.

    On SQLite `locked_until`/`locked_by` are the lock itself (a lease a clock takes with one conditional
    UPDATE); on PostgreSQL an advisory lock is held while the job runs and these stay empty.
    """

    name = models.CharField(_("job"), max_length=120, primary_key=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_ran_by = models.CharField(_("last run by"), max_length=120, blank=True)
    run_count = models.PositiveIntegerField(_("runs"), default=0)
    failure_count = models.PositiveIntegerField(_("failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    locked_by = models.CharField(_("locked by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


class TaskOrigin(models.Model):
    """The request that queued a background task, for its log lines (core.requestid); gone once it ran."""

    task_id = models.CharField(_("task"), max_length=64, primary_key=True)
    request_id = models.CharField(_("request id"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task origin")
        verbose_name_plural = _("task origins")

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.request_id}"
