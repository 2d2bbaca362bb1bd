from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.models import TimeStampedModel
from otop.core.uploads import RandomName, private_storage


class Criterion(models.Model):
    """One thing the committee scores, 1–5. Criteria are data: the center may add or retire them."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_th = models.TextField(_("guidance (Thai)"), blank=True)
    description_en = models.TextField(_("guidance (English)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_th


class DecisionRule(models.Model):
    """How scores become a proposal. One row; the manager may change the thresholds."""

    SINGLETON_ID = 1

    min_scorers = models.PositiveSmallIntegerField(_("members who must score"), default=3)
    approve_mean = models.DecimalField(
        _("mean needed to approve"), max_digits=3, decimal_places=2, default=Decimal("3.50")
    )
    min_criterion_mean = models.DecimalField(
        _("lowest allowed criterion mean"), max_digits=3, decimal_places=2, default=Decimal("2.00")
    )
    reject_below_mean = models.DecimalField(
        _("reject when the mean is below"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.50"),
        help_text=_("Between this and the approval mean the committee asks for changes."),
    )

    class Meta:
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rule")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="decision_rule_is_singleton")]

    def __str__(self) -> str:
        return str(_("Decision rule"))


class Meeting(TimeStampedModel):
    """A sitting of the committee that goes through many applications; its chair confirms decisions."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Application(TimeStampedModel):
    """A producer asks the committee to sell a product in the center."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review by the committee")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="applications"
    )
    category = models.ForeignKey(
        "catalog.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    name_th = models.CharField(_("product name (Thai)"), max_length=200)
    name_en = models.CharField(_("product name (English)"), max_length=200, blank=True)
    proposed_price = models.DecimalField(
        _("proposed price incl. VAT (THB)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description_th = models.TextField(_("description (Thai)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    story_th = models.TextField(_("story: history, the makers, how it is made (Thai)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    certifications = models.ManyToManyField(
        "producers.Certification", verbose_name=_("certifications"), blank=True, related_name="applications"
    )
    sample_delivered = models.BooleanField(_("sample delivered to the center"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    round = models.PositiveSmallIntegerField(
        _("review round"), default=1, help_text=_("Goes up each time the producer resubmits after changes.")
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    product = models.OneToOneField(
        "catalog.Product",
        verbose_name=_("listed product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(proposed_price__gt=Decimal("0")), name="application_price_positive"),
        ]
        permissions = [
            ("score_application", _("Can score product applications")),
            ("decide_application", _("Can confirm committee decisions as chair")),
            ("manage_meetings", _("Can plan committee meetings")),
            ("delist_product", _("Can delist a product after re-evaluation")),
        ]

    def __str__(self) -> str:
        return self.name_th

    @property
    def is_open_for_scoring(self) -> bool:
        return self.status == self.Status.UNDER_REVIEW

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.REJECTED}


class ApplicationPhoto(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="photos"
    )
    # Private: seen by the producer and the committee only (selection.views.application_photo).
    image = models.ImageField(_("photo"), storage=private_storage, upload_to=RandomName("applications"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("application photo")
        verbose_name_plural = _("application photos")
        ordering = ["application_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.image.name


class ApplicationEvent(models.Model):
    """The application's history as the producer sees it: each status change and the feedback given."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Application.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"


class Scorecard(models.Model):
    """One committee member's scores for one application in one review round."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scorecards"
    )
    round = models.PositiveSmallIntegerField(_("review round"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committee member"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["application_id", "round", "submitted_at", "id"]
        constraints = [
            # A member scores an application once per round, even if two requests race.
            models.UniqueConstraint(fields=["application", "round", "member"], name="one_scorecard_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.round} {self.member_id}"


class Score(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["scorecard_id", "criterion__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Decision(models.Model):
    """The chair's confirmed decision for one review round, next to what the rule proposed."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        CHANGES = "changes", _("Ask for changes")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="decisions"
    )
    round = models.PositiveSmallIntegerField(_("review round"))
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    proposed_outcome = models.CharField(_("proposed by the rule"), max_length=10, choices=Outcome.choices, blank=True)
    mean_score = models.DecimalField(_("mean score"), max_digits=3, decimal_places=2, null=True)
    scorers = models.PositiveSmallIntegerField(_("members who scored"), default=0)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    letter_number = models.CharField(_("letter number"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_decision_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_number} {self.outcome}"


class Delisting(models.Model):
    """A listed product taken off the shelf after re-evaluation, and why."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="delistings"
    )
    reason = models.TextField(_("reason"))
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delisted_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delisting")
        verbose_name_plural = _("delistings")
        ordering = ["-delisted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id} {self.delisted_at:%Y-%m-%d}"
