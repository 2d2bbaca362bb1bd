"""Selection API: applications, scores and decisions (permission-checked)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import require_permission, signed_in
from otop.catalog.models import Category
from otop.core.apitypes import NOT_BLANK, Id, Limit, Offset, PositiveMoney, Text, errors
from otop.producers.selectors import producer_of
from otop.selection import selectors, services
from otop.selection.models import Application, Decision

router = Router(tags=["selection"], auth=signed_in)


class ApplicationOut(Schema):
    id: int
    producer_id: int
    producer_name: str
    category: str
    name_th: str
    name_en: str
    proposed_price: Decimal
    description_th: str
    story_th: str
    sample_delivered: bool
    status: str
    round: int
    submitted_at: datetime
    product_code: str | None


class ApplicationIn(Schema):
    category: Text(30, min_length=1)
    name_th: Text(200, min_length=1, pattern=NOT_BLANK)
    name_en: Text(200) = ""
    proposed_price: PositiveMoney
    description_th: Text(5000, min_length=1, pattern=NOT_BLANK)
    story_th: Text(10000) = ""
    sample_delivered: bool = False
    certification_ids: list[Id] = Field([], max_length=20)


class ScoresIn(Schema):
    scores: dict[Text(30), Annotated[int, Field(ge=1, le=5)]] = Field(
        description="criterion code → score from 1 to 5", max_length=50
    )
    comment: Text(2000) = ""


class ScorecardOut(Schema):
    member: str
    round: int
    scores: dict[str, int]
    comment: str


class DecisionIn(Schema):
    outcome: Literal["approve", "reject", "changes"]
    reason: Text(2000, min_length=1, pattern=NOT_BLANK)


class DecisionOut(Schema):
    round: int
    outcome: str
    proposed_outcome: str
    mean_score: Decimal | None
    scorers: int
    reason: str
    decided_at: datetime
    letter_number: str


class TallyOut(Schema):
    scorers: int
    mean: Decimal | None
    proposal: str


def _out(application: Application) -> ApplicationOut:
    return ApplicationOut(
        id=application.pk,
        producer_id=application.producer_id,
        producer_name=application.producer.name_th,
        category=application.category.code,
        name_th=application.name_th,
        name_en=application.name_en,
        proposed_price=application.proposed_price,
        description_th=application.description_th,
        story_th=application.story_th,
        sample_delivered=application.sample_delivered,
        status=application.status,
        round=application.round,
        submitted_at=application.submitted_at,
        product_code=application.product.code if application.product_id else None,
    )


def _visible_applications(request: HttpRequest) -> QuerySet[Application]:
    """Committee and staff see every application; a producer only its own."""
    base = Application.objects.select_related("producer", "category", "product")
    if request.user.has_perm("selection.view_application"):
        return base
    producer = producer_of(request.user)
    if producer is None:
        raise PermissionDenied
    return base.filter(producer=producer)


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        round=decision.round,
        outcome=decision.outcome,
        proposed_outcome=decision.proposed_outcome,
        mean_score=decision.mean_score,
        scorers=decision.scorers,
        reason=decision.reason,
        decided_at=decision.decided_at,
        letter_number=decision.letter_number,
    )


ApplicationStatus = Literal["", *Application.Status.values]


@router.get("/applications", response=list[ApplicationOut], summary="Applications the caller may see")
def list_applications(
    request: HttpRequest, status: ApplicationStatus = "", limit: Limit(500) = 100, offset: Offset = 0
):
    rows = _visible_applications(request).order_by("-submitted_at", "-id")
    if status:
        rows = rows.filter(status=status)
    return [_out(application) for application in rows[offset : offset + limit]]


@router.post(
    "/applications",
    response={201: ApplicationOut, **errors(404, 409)},
    summary="Apply with a product (producers)",
)
def create_application(request: HttpRequest, payload: ApplicationIn):
    require_permission(request, "accounts.use_producer_portal")
    producer = producer_of(request.user)
    if producer is None:
        raise PermissionDenied
    category = get_object_or_404(Category, code=payload.category)
    certifications = list(producer.certifications.filter(pk__in=payload.certification_ids))
    application = services.submit_application(
        actor=acting_user(request),
        producer=producer,
        category=category,
        name_th=payload.name_th,
        name_en=payload.name_en,
        proposed_price=payload.proposed_price,
        description_th=payload.description_th,
        story_th=payload.story_th,
        sample_delivered=payload.sample_delivered,
        certifications=certifications,
    )
    return Status(201, _out(application))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **errors(404)}, summary="One application")
def get_application(request: HttpRequest, application_id: Id):
    return _out(get_object_or_404(_visible_applications(request), pk=application_id))


@router.get(
    "/applications/{application_id}/scores",
    response={200: list[ScorecardOut], **errors(404)},
    summary="Scores (staff, chair)",
)
def list_scores(request: HttpRequest, application_id: Id):
    application = get_object_or_404(_visible_applications(request), pk=application_id)
    is_chair = application.meeting is not None and application.meeting.chair_id == request.user.pk
    if not (is_chair or request.user.has_perm("selection.manage_meetings")):
        raise PermissionDenied
    return [
        ScorecardOut(
            member=card.member.username,
            round=card.round,
            scores={item.criterion.code: item.score for item in card.scores.all()},
            comment=card.comment,
        )
        for card in selectors.scorecards_of_round(application)
    ]


@router.post(
    "/applications/{application_id}/scores", response={201: TallyOut, **errors(404, 409)}, summary="Score (committee)"
)
def create_scores(request: HttpRequest, application_id: Id, payload: ScoresIn):
    require_permission(request, "selection.score_application")
    application = get_object_or_404(Application, pk=application_id)
    by_code = {criterion.code: criterion.pk for criterion in selectors.active_criteria()}
    scores = {by_code[code]: value for code, value in payload.scores.items() if code in by_code}
    services.score_application(member=request.user, application=application, scores=scores, comment=payload.comment)
    tally = selectors.tally_for(application)
    return Status(201, TallyOut(scorers=tally.scorers, mean=tally.mean, proposal=tally.proposal))


@router.get(
    "/applications/{application_id}/decision", response={200: DecisionOut, **errors(404)}, summary="The latest decision"
)
def get_decision(request: HttpRequest, application_id: Id):
    application = get_object_or_404(_visible_applications(request), pk=application_id)
    decision = selectors.latest_decision(application)
    if decision is None:
        raise Http404
    return _decision_out(decision)


@router.post(
    "/applications/{application_id}/decision", response={201: DecisionOut, **errors(404, 409)}, summary="Decide (chair)"
)
def create_decision(request: HttpRequest, application_id: Id, payload: DecisionIn):
    require_permission(request, "selection.decide_application")
    application = get_object_or_404(Application, pk=application_id)
    decision = services.decide_application(
        chair=request.user, application=application, outcome=payload.outcome, reason=payload.reason
    )
    return Status(201, _decision_out(decision))
