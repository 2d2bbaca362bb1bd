"""Writes of the selection committee: applications, meetings, scores, decisions, delisting.

Every step is one function that owns its transaction, writes an ApplicationEvent (the history the
producer follows), an AuditEvent (what the manager sees) and queues the producer's notification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.catalog import services as catalog_services
from otop.catalog.barcodes import in_store_ean13
from otop.catalog.errors import ProductNotListed
from otop.catalog.models import Category, Product
from otop.core.services import record_audit_event
from otop.core.thaidates import buddhist_year
from otop.core.uploads import CleanFile, InvalidUpload, clean_image, stored_name
from otop.producers import notify
from otop.producers.models import Certification, Producer
from otop.selection.errors import (
    AlreadyDecided,
    AlreadyScored,
    ConflictOfInterest,
    InvalidApplication,
    InvalidRule,
    InvalidTransition,
    NotAMember,
    NotOpenForScoring,
    NotTheChair,
)
from otop.selection.models import (
    Application,
    ApplicationEvent,
    ApplicationPhoto,
    Criterion,
    Decision,
    DecisionRule,
    Delisting,
    Meeting,
    Score,
    Scorecard,
)
from otop.selection.selectors import decision_rule, has_conflict_of_interest, tally_for

Status = Application.Status
Outcome = Decision.Outcome

# The allowed status changes, in one place.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED, Status.SUBMITTED},
    Status.CHANGES_REQUESTED: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.APPROVED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
OUTCOME_STATUS = {
    Outcome.APPROVE: Status.APPROVED,
    Outcome.REJECT: Status.REJECTED,
    Outcome.CHANGES: Status.CHANGES_REQUESTED,
}
# The notification event for each status the producer hears about.
STATUS_EVENTS = {
    Status.SUBMITTED: "application_submitted",
    Status.UNDER_REVIEW: "application_under_review",
    Status.CHANGES_REQUESTED: "application_changes_requested",
    Status.APPROVED: "application_approved",
    Status.REJECTED: "application_rejected",
    Status.WITHDRAWN: "application_withdrawn",
}
APPLICATION_FIELDS = (
    "category", "name_th", "name_en", "proposed_price", "description_th", "description_en",
    "story_th", "story_en", "weight_grams", "sample_delivered",
)  # fmt: skip
# In-store barcodes of products listed from applications: 20 9xxxxxxxxx, apart from the demo's small numbers.
APPLICATION_BARCODE_BASE = 9_000_000_000


def _move(*, application: Application, to: str, actor: User | None, note: str = "") -> None:
    """Change the status (caller holds the row lock), record the event, and queue the notification."""
    if to not in TRANSITIONS[application.status]:
        raise InvalidTransition(
            _("An application that is “%(status)s” cannot change to “%(target)s”.")
            % {"status": application.get_status_display(), "target": Status(to).label}
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "meeting", "round", "product", "updated_at"])
    ApplicationEvent.objects.create(application=application, actor=actor, status=to, note=note)
    record_audit_event(
        actor=actor,
        action=f"selection.application_{to}",
        target=application,
        summary=note,
        data={"from": before, "to": to, "round": application.round},
    )
    _notify(application=application, status=to, note=note)


def _notify(*, application: Application, status: str, note: str) -> None:
    event = STATUS_EVENTS.get(status)
    if event is None:
        return
    notify.producer(
        producer=application.producer,
        event=event,
        context={"application_id": application.pk, "product_name": application.name_th, "note": note},
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("producer", "meeting").get(pk=application.pk)
    )


def _check_certifications(producer: Producer, certifications: Iterable[Certification]) -> list[Certification]:
    certifications = list(certifications)
    if any(certification.producer_id != producer.pk for certification in certifications):
        raise InvalidApplication(
            _("A certification does not belong to this producer."),
            fields={"certifications": [_("Choose only your own certifications.")]},
        )
    return certifications


MAX_PHOTOS = 10


def _clean_photos(photos: Iterable[Any], *, already: int = 0) -> list[CleanFile]:
    """Check and re-encode an application's photos before anything is written; refuse naming the field."""
    photos = list(photos)
    if already + len(photos) > MAX_PHOTOS:
        message = _("At most %(count)s photos per application.") % {"count": MAX_PHOTOS}
        raise InvalidApplication(message, fields={"photos": [message]})
    try:
        return [clean_image(photo) for photo in photos]
    except InvalidUpload as error:
        raise InvalidApplication(error.message, fields={"photos": [error.message]}) from None


def _store_photos(application: Application, photos: list[CleanFile], *, start: int) -> None:
    for order, clean in enumerate(photos, start=start):
        photo = ApplicationPhoto(application=application, sort_order=order)
        photo.image.save(stored_name(clean), clean.content, save=True)


@transaction.atomic
def submit_application(
    *,
    actor: User,
    producer: Producer,
    category: Category,
    name_th: str,
    proposed_price: Decimal,
    description_th: str,
    certifications: Iterable[Certification] = (),
    photos: Iterable[Any] = (),
    now: datetime | None = None,
    **fields: Any,
) -> Application:
    """Apply with a product for the committee to review; the caller has checked the field shapes."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    if proposed_price <= 0:
        raise InvalidApplication(
            _("The price must be more than zero."), fields={"proposed_price": [_("Must be more than zero.")]}
        )
    certifications = _check_certifications(producer, certifications)
    cleaned = _clean_photos(photos)
    application = Application.objects.create(
        producer=producer,
        category=category,
        name_th=name_th,
        proposed_price=proposed_price,
        description_th=description_th,
        submitted_by=actor,
        submitted_at=now or timezone.now(),
        **fields,
    )
    application.certifications.set(certifications)
    _store_photos(application, cleaned, start=0)
    ApplicationEvent.objects.create(application=application, actor=actor, status=Status.SUBMITTED)
    record_audit_event(actor=actor, action="selection.application_submitted", target=application, summary=name_th)
    _notify(application=application, status=Status.SUBMITTED, note="")
    return application


@transaction.atomic
def resubmit_application(
    *,
    actor: User,
    application: Application,
    certifications: Iterable[Certification] | None = None,
    photos: Iterable[Any] = (),
    **changes: Any,
) -> Application:
    """Send an application back to the committee after changes were asked for: a new review round."""
    unknown = set(changes) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    application = _lock(application)
    if application.status != Status.CHANGES_REQUESTED:
        raise InvalidTransition(_("Only an application with changes requested can be sent again."))
    start = application.photos.count()
    cleaned = _clean_photos(photos, already=start)
    for name, value in changes.items():
        setattr(application, name, value)
    application.save(update_fields=[*changes, "updated_at"])
    if certifications is not None:
        application.certifications.set(_check_certifications(application.producer, certifications))
    _store_photos(application, cleaned, start=start)
    application.round += 1
    application.meeting = None
    _move(application=application, to=Status.SUBMITTED, actor=actor, note=_("Sent again with changes."))
    return application


@transaction.atomic
def withdraw_application(*, actor: User, application: Application) -> Application:
    application = _lock(application)
    _move(application=application, to=Status.WITHDRAWN, actor=actor)
    return application


def _is_committee_member(user: User) -> bool:
    return user.has_perm("selection.score_application")


@transaction.atomic
def plan_meeting(
    *, actor: User, title: str, held_on: date, chair: User, applications: Iterable[Application] = ()
) -> Meeting:
    """Create a committee sitting with its chair and put waiting applications on its agenda."""
    if not _is_committee_member(chair):
        raise NotAMember(_("The chair must be a committee member."), fields={"chair": [_("Not a committee member.")]})
    meeting = Meeting.objects.create(title=title, held_on=held_on, chair=chair, created_by=actor)
    record_audit_event(
        actor=actor, action="selection.meeting_planned", target=meeting, summary=title, data={"chair": chair.pk}
    )
    for application in applications:
        put_on_agenda(actor=actor, application=application, meeting=meeting)
    return meeting


@transaction.atomic
def put_on_agenda(*, actor: User, application: Application, meeting: Meeting) -> Application:
    """Bring a submitted application before a meeting: from now on members can score it."""
    application = _lock(application)
    application.meeting = meeting
    _move(
        application=application,
        to=Status.UNDER_REVIEW,
        actor=actor,
        note=_("On the agenda of %(meeting)s.") % {"meeting": meeting.title},
    )
    return application


@transaction.atomic
def score_application(
    *,
    member: User,
    application: Application,
    scores: Mapping[int, int],
    comments: Mapping[int, str] | None = None,
    comment: str = "",
) -> Scorecard:
    """Record one member's scores (criterion id → 1–5) for the current round, once.

    Refused when the member is not on the committee, the application is not under review (so also
    after the decision), the member has already scored this round, or the member belongs to the
    producer (conflict of interest).
    """
    if not _is_committee_member(member):
        raise NotAMember(_("Only committee members can score applications."))
    application = _lock(application)
    if not application.is_open_for_scoring:
        raise NotOpenForScoring(_("This application is not open for scoring."))
    if has_conflict_of_interest(member=member, producer=application.producer):
        raise ConflictOfInterest(_("You cannot score a product of your own group (conflict of interest)."))
    if Scorecard.objects.filter(application=application, round=application.round, member=member).exists():
        raise AlreadyScored(_("You have already scored this application."))
    criteria = list(Criterion.objects.filter(is_active=True))
    fields: dict[str, list[str]] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 1 <= int(value) <= 5:
            fields[f"criterion_{criterion.pk}"] = [_("Give a score from 1 to 5.")]
    if fields:
        raise InvalidApplication(_("Score every criterion from 1 to 5."), fields=fields)
    comments = comments or {}
    try:
        with transaction.atomic():
            scorecard = Scorecard.objects.create(
                application=application, round=application.round, member=member, comment=comment
            )
    except IntegrityError as error:  # a second request from the same member that raced past the check
        raise AlreadyScored(_("You have already scored this application.")) from error
    Score.objects.bulk_create(
        Score(
            scorecard=scorecard,
            criterion=criterion,
            score=int(scores[criterion.pk]),
            comment=comments.get(criterion.pk, "")[:500],
        )
        for criterion in criteria
    )
    record_audit_event(
        actor=member,
        action="selection.scored",
        target=application,
        summary=comment,
        data={"round": application.round, "scores": {str(c.pk): int(scores[c.pk]) for c in criteria}},
    )
    return scorecard


@transaction.atomic
def decide_application(
    *, chair: User, application: Application, outcome: str, reason: str, now: datetime | None = None
) -> Decision:
    """Confirm the committee's decision as the meeting's chair, with a reason.

    The rule's proposal is stored next to the chair's outcome. An approval lists the product
    in the catalogue at once.
    """
    application = _lock(application)
    if application.is_decided:
        raise AlreadyDecided(_("This application has already been decided."))
    if application.status != Status.UNDER_REVIEW or application.meeting is None:
        raise InvalidTransition(_("Only an application on a meeting's agenda can be decided."))
    if application.meeting.chair_id != chair.pk:
        raise NotTheChair(_("Only the chair of the meeting can confirm a decision."))
    if outcome not in Outcome.values:
        raise InvalidApplication(_("Choose a decision."), fields={"outcome": [_("Choose a decision.")]})
    reason = reason.strip()
    if not reason:
        raise InvalidApplication(_("Give the reason for the decision."), fields={"reason": [_("Required.")]})
    tally = tally_for(application)
    if not tally.proposal:
        raise InvalidTransition(_("Wait until %(count)s members have scored.") % {"count": decision_rule().min_scorers})
    now = now or timezone.now()
    decision = Decision.objects.create(
        application=application,
        round=application.round,
        outcome=outcome,
        proposed_outcome=tally.proposal,
        mean_score=tally.mean,
        scorers=tally.scorers,
        reason=reason,
        decided_by=chair,
        decided_at=now,
        letter_number=f"{application.pk}-{application.round}/{buddhist_year(timezone.localtime(now).year)}",
    )
    if outcome == Outcome.APPROVE:
        application.product = list_product_from_application(application=application, actor=chair)
    _move(application=application, to=OUTCOME_STATUS[outcome], actor=chair, note=reason)
    record_audit_event(
        actor=chair,
        action="selection.decided",
        target=application,
        summary=reason,
        data={
            "outcome": outcome,
            "proposed": tally.proposal,
            "mean": str(tally.mean),
            "scorers": tally.scorers,
            "letter": decision.letter_number,
        },
    )
    return decision


def list_product_from_application(*, application: Application, actor: User | None) -> Product:
    """List the approved application's product in the catalogue, with its default variant and barcode."""
    code = f"AP{application.pk}"
    suffix = 0
    while Product.objects.filter(code=code).exists():
        suffix += 1
        code = f"AP{application.pk}-{suffix}"
    return catalog_services.create_product(
        actor=actor,
        code=code,
        sku=f"APP-{application.pk:06d}",
        barcode=in_store_ean13(APPLICATION_BARCODE_BASE + application.pk),
        price=application.proposed_price,
        name_th=application.name_th,
        name_en=application.name_en,
        category=application.category,
        producer=application.producer,
        description_th=application.description_th,
        description_en=application.description_en,
        story_th=application.story_th,
        story_en=application.story_en,
        status=Product.Status.LISTED,
        otop_stars=application.producer.otop_stars,
        weight_grams=application.weight_grams,
        **_certificate_numbers(application),
    )


def _certificate_numbers(application: Application) -> dict[str, Any]:
    numbers: dict[str, Any] = {}
    for certification in application.certifications.all():
        if certification.kind == Certification.Kind.FDA:
            numbers["fda_number"] = certification.number[:30]
        elif certification.kind == Certification.Kind.TCPS:
            numbers["tcps_number"] = certification.number[:30]
        elif certification.kind == Certification.Kind.HALAL:
            numbers["is_halal"] = True
        elif certification.kind == Certification.Kind.GI:
            numbers["gi_name"] = certification.number[:100]
    return numbers


@transaction.atomic
def delist_product(*, actor: User, product: Product, reason: str) -> Delisting:
    """Take a listed product off the shelf after re-evaluation; the producer is told why."""
    reason = reason.strip()
    if not reason:
        raise InvalidApplication(_("Give the reason for delisting."), fields={"reason": [_("Required.")]})
    try:
        product = catalog_services.delist_product(product=product, actor=actor)
    except ProductNotListed as error:
        raise InvalidTransition(error.message) from None
    delisting = Delisting.objects.create(product=product, reason=reason, delisted_by=actor)
    record_audit_event(actor=actor, action="selection.product_delisted", target=product, summary=reason)
    notify.producer(
        producer=product.producer,
        event="product_delisted",
        context={"product_name": product.name_th, "note": reason},
    )
    return delisting


# --- The rule the committee works by (manager) -----------------------------------------------------

SCORE_MIN, SCORE_MAX = Decimal("1"), Decimal("5")


def _rule_values(rule: DecisionRule) -> dict:
    return {
        "min_scorers": rule.min_scorers,
        "approve_mean": str(rule.approve_mean),
        "min_criterion_mean": str(rule.min_criterion_mean),
        "reject_below_mean": str(rule.reject_below_mean),
    }


@transaction.atomic
def set_decision_rule(
    *,
    actor: User | None,
    min_scorers: int,
    approve_mean: Decimal,
    min_criterion_mean: Decimal,
    reject_below_mean: Decimal,
) -> DecisionRule:
    """Change how scores become a proposal. Decisions already made stay as they are (each keeps its
    mean and number of scorers); applications still open are tallied by the new rule."""
    fields: dict[str, list[str]] = {}
    if not 1 <= min_scorers <= 50:
        fields["min_scorers"] = [_("Between 1 and 50 members.")]
    for name, value in (
        ("approve_mean", approve_mean),
        ("min_criterion_mean", min_criterion_mean),
        ("reject_below_mean", reject_below_mean),
    ):
        if not SCORE_MIN <= value <= SCORE_MAX:
            fields[name] = [_("A mean from 1.00 to 5.00.")]
    if not fields and reject_below_mean > approve_mean:
        fields["reject_below_mean"] = [_("Rejection must start below the mean needed to approve.")]
    if fields:
        raise InvalidRule(_("The decision rule was not changed."), fields=fields)
    rule = DecisionRule.objects.select_for_update().get(pk=decision_rule().pk)
    before = _rule_values(rule)
    rule.min_scorers, rule.approve_mean = min_scorers, approve_mean
    rule.min_criterion_mean, rule.reject_below_mean = min_criterion_mean, reject_below_mean
    rule.save()
    record_audit_event(
        actor=actor, action="selection.rule_changed", target=rule, data={"before": before, "after": _rule_values(rule)}
    )
    return rule


@transaction.atomic
def save_criterion(*, actor: User | None, criterion: Criterion | None = None, **values: Any) -> Criterion:
    """Add a criterion, or change one. A criterion is retired (not in use) rather than deleted, so past
    scorecards keep it; scorecards filled from now on use the criteria in use now. At least one must
    stay in use."""
    criterion = criterion or Criterion()
    # Read from the database: a bound form may already have changed the instance it was given.
    was_active = criterion.pk is not None and Criterion.objects.filter(pk=criterion.pk, is_active=True).exists()
    for name, value in values.items():
        setattr(criterion, name, value)
    if (
        was_active
        and not criterion.is_active
        and not Criterion.objects.filter(is_active=True).exclude(pk=criterion.pk).exists()
    ):
        raise InvalidRule(
            _("At least one criterion must stay in use."), fields={"is_active": [_("The last one in use.")]}
        )
    criterion.save()
    record_audit_event(
        actor=actor,
        action="selection.criterion_saved",
        target=criterion,
        summary=f"{criterion.code}: {criterion.name_th}",
        data={"in_use": criterion.is_active},
    )
    return criterion
