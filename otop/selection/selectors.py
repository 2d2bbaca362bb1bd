"""Reads of the selection committee's work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet

from otop.accounts.models import User
from otop.core.models import AuditEvent
from otop.producers.models import Producer
from otop.selection.models import Application, Criterion, Decision, DecisionRule, Meeting, Score, Scorecard
from otop.selection.rules import Tally, tally


def decision_rule() -> DecisionRule:
    rule, _created = DecisionRule.objects.get_or_create(pk=DecisionRule.SINGLETON_ID)
    return rule


def active_criteria() -> QuerySet[Criterion]:
    return Criterion.objects.filter(is_active=True).order_by("sort_order", "code")


def has_conflict_of_interest(*, member: User, producer: Producer) -> bool:
    """A member may not score a producer it belongs to: its portal account, or a listed group member."""
    if producer.user_id == member.pk:
        return True
    ties = Q(user=member)
    if member.phone:
        ties |= Q(phone=member.phone)
    return producer.members.filter(ties).exists()


def scores_of_round(application: Application) -> QuerySet[Score]:
    return Score.objects.filter(scorecard__application=application, scorecard__round=application.round)


def tally_for(application: Application) -> Tally:
    """The rule's proposal for the application's current round."""
    rule = decision_rule()
    rows = scores_of_round(application).values_list("scorecard__member_id", "criterion_id", "score")
    return tally(
        scores=rows,
        min_scorers=rule.min_scorers,
        approve_mean=rule.approve_mean,
        min_criterion_mean=rule.min_criterion_mean,
        reject_below_mean=rule.reject_below_mean,
    )


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    mean: Decimal | None


def criterion_results(application: Application, result: Tally) -> list[CriterionResult]:
    return [CriterionResult(c, result.criterion_means.get(c.pk)) for c in active_criteria()]


def applications_for_producer(*, producer: Producer) -> QuerySet[Application]:
    return (
        Application.objects.filter(producer=producer)
        .select_related("category", "product")
        .order_by("-submitted_at", "-id")
    )


def applications_for_review() -> QuerySet[Application]:
    """Everything the committee and staff see (bank details are never part of it)."""
    return Application.objects.select_related("producer", "producer__district", "category", "meeting").annotate(
        scorecard_count=Count("scorecards", filter=Q(scorecards__round=F("round")))
    )


def waiting_applications() -> QuerySet[Application]:
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .select_related("producer", "category")
        .order_by("submitted_at", "id")
    )


# Applications the committee has still to decide: not yet on a meeting, and on one.
BEFORE_THE_COMMITTEE = (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW)


def applications_before_committee() -> dict[str, int]:
    """How many applications are at each of BEFORE_THE_COMMITTEE (one query)."""
    counts = Application.objects.filter(status__in=BEFORE_THE_COMMITTEE).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in BEFORE_THE_COMMITTEE}
    )
    return {status: counts[status] or 0 for status in BEFORE_THE_COMMITTEE}


def meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("chair").annotate(application_count=Count("applications"))


def meeting_agenda(meeting: Meeting) -> QuerySet[Application]:
    return applications_for_review().filter(meeting=meeting).order_by("id")


def scorecard_of(*, application: Application, member: User) -> Scorecard | None:
    return (
        Scorecard.objects.filter(application=application, round=application.round, member=member)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )


def scorecards_of_round(application: Application) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(application=application, round=application.round)
        .select_related("member")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


def latest_decision(application: Application) -> Decision | None:
    return application.decisions.select_related("decided_by").order_by("-round").first()


def audit_trail(application: Application) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(target_type=Application._meta.label_lower, target_id=str(application.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def scored_by(*, member: User, applications: list[Application]) -> set[int]:
    """Ids of the applications (current rounds) the member has already scored."""
    rounds = {application.pk: application.round for application in applications}
    rows = Scorecard.objects.filter(member=member, application_id__in=rounds).values_list("application_id", "round")
    return {application_id for application_id, round_ in rows if rounds[application_id] == round_}
