from decimal import Decimal

import pytest
from django.core import mail

from otop.catalog.barcodes import is_valid_ean13
from otop.catalog.models import Product
from otop.core.models import AuditEvent
from otop.notifications.models import OutboundMessage
from otop.producers.models import ProducerMember
from otop.producers.tests.factories import CertificationFactory, ProducerFactory
from otop.selection import services
from otop.selection.errors import (
    AlreadyDecided,
    AlreadyScored,
    ConflictOfInterest,
    InvalidApplication,
    NotAMember,
    NotOpenForScoring,
    NotTheChair,
)
from otop.selection.models import Application, ApplicationEvent, Decision, Scorecard
from otop.selection.selectors import tally_for
from otop.selection.tests.conftest import all_criteria
from otop.selection.tests.factories import ApplicationFactory


def score_all(application, members, value=4):
    for member in members:
        services.score_application(member=member, application=application, scores=all_criteria(value))


def test_the_default_criteria_and_rule_are_data(db):
    from otop.selection.models import Criterion
    from otop.selection.selectors import decision_rule

    assert list(Criterion.objects.values_list("code", flat=True)) == [
        "quality", "packaging", "standards", "price", "story", "market",
    ]  # fmt: skip
    rule = decision_rule()
    assert (rule.min_scorers, rule.approve_mean, rule.min_criterion_mean) == (3, Decimal("3.50"), Decimal("2.00"))


def test_three_scores_and_the_chairs_approval_list_the_product(under_review, committee):
    score_all(under_review, committee, value=4)
    decision = services.decide_application(
        chair=committee[0], application=under_review, outcome="approve", reason="คุณภาพดี เรื่องราวชัดเจน"
    )
    under_review.refresh_from_db()
    assert under_review.status == Application.Status.APPROVED
    assert decision.proposed_outcome == "approve"
    assert decision.mean_score == Decimal("4.00")
    assert decision.scorers == 3
    product = under_review.product
    assert product.status == Product.Status.LISTED
    assert product.name_th == "ผ้าไหมมัดหมี่ลายนาคน้อย"
    assert product.producer_id == under_review.producer_id
    variant = product.variants.get()
    assert variant.price == Decimal("1250.00")
    assert variant.is_default is True
    assert variant.barcode[:12] == f"209{under_review.pk:09d}"
    assert is_valid_ean13(variant.barcode)


def test_a_member_cannot_score_twice_and_nothing_changes(under_review, committee):
    services.score_application(member=committee[1], application=under_review, scores=all_criteria(4))
    with pytest.raises(AlreadyScored):
        services.score_application(member=committee[1], application=under_review, scores=all_criteria(1))
    assert Scorecard.objects.filter(application=under_review).count() == 1
    assert tally_for(under_review).mean == Decimal("4.00")


def test_no_scoring_after_the_decision(under_review, committee, make_user):
    score_all(under_review, committee)
    services.decide_application(chair=committee[0], application=under_review, outcome="approve", reason="ดี")
    late = make_user("committee")
    with pytest.raises(NotOpenForScoring):
        services.score_application(member=late, application=under_review, scores=all_criteria(1))
    assert Scorecard.objects.filter(application=under_review).count() == 3


def test_a_member_cannot_score_own_groups_product(under_review, committee):
    ProducerMember.objects.create(producer=under_review.producer, name="สมาชิก", user=committee[2])
    with pytest.raises(ConflictOfInterest):
        services.score_application(member=committee[2], application=under_review, scores=all_criteria(5))
    assert not Scorecard.objects.exists()


def test_a_member_listed_by_phone_is_also_in_conflict(under_review, make_user):
    member = make_user("committee", phone="0899998888")
    ProducerMember.objects.create(producer=under_review.producer, name="สมาชิก", phone="0899998888")
    with pytest.raises(ConflictOfInterest):
        services.score_application(member=member, application=under_review, scores=all_criteria(5))
    assert not Scorecard.objects.exists()


def test_only_committee_members_score(under_review, staff):
    with pytest.raises(NotAMember):
        services.score_application(member=staff, application=under_review, scores=all_criteria(5))
    assert not Scorecard.objects.exists()


def test_every_criterion_needs_a_score_from_1_to_5(under_review, committee):
    scores = all_criteria(4)
    scores[next(iter(scores))] = 6
    with pytest.raises(InvalidApplication):
        services.score_application(member=committee[1], application=under_review, scores=scores)
    assert not Scorecard.objects.exists()


def test_only_the_chair_decides(under_review, committee):
    score_all(under_review, committee)
    with pytest.raises(NotTheChair):
        services.decide_application(chair=committee[1], application=under_review, outcome="approve", reason="ดี")
    under_review.refresh_from_db()
    assert under_review.status == Application.Status.UNDER_REVIEW
    assert not Decision.objects.exists()
    assert not Product.objects.filter(sku__startswith="APP-").exists()


def test_no_decision_before_enough_members_scored(under_review, committee):
    score_all(under_review, committee[:2])
    with pytest.raises(Exception) as raised:
        services.decide_application(chair=committee[0], application=under_review, outcome="approve", reason="ดี")
    assert "3" in raised.value.message
    assert not Decision.objects.exists()


def test_a_decided_application_cannot_be_decided_again(under_review, committee):
    score_all(under_review, committee, value=2)
    services.decide_application(chair=committee[0], application=under_review, outcome="reject", reason="ยังไม่พร้อม")
    with pytest.raises(AlreadyDecided):
        services.decide_application(chair=committee[0], application=under_review, outcome="approve", reason="x")
    assert Decision.objects.count() == 1
    assert not Product.objects.filter(sku__startswith="APP-").exists()


def test_changes_requested_then_resubmitted_starts_a_new_round(under_review, committee, producer_user, staff):
    score_all(under_review, committee, value=3)
    services.decide_application(
        chair=committee[0], application=under_review, outcome="changes", reason="ปรับฉลากให้มีวันหมดอายุ"
    )
    services.resubmit_application(actor=producer_user, application=under_review, name_en="New label")
    under_review.refresh_from_db()
    assert (under_review.status, under_review.round, under_review.meeting) == ("submitted", 2, None)
    assert [e.status for e in ApplicationEvent.objects.filter(application=under_review)] == [
        "submitted", "under_review", "changes_requested", "submitted",
    ]  # fmt: skip


def test_every_step_is_audited(under_review, committee):
    score_all(under_review, committee)
    services.decide_application(chair=committee[0], application=under_review, outcome="approve", reason="ดี")
    actions = list(
        AuditEvent.objects.filter(target_type="selection.application", target_id=str(under_review.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "selection.application_submitted",
        "selection.application_under_review",
        "selection.scored",
        "selection.scored",
        "selection.scored",
        "selection.application_approved",
        "selection.decided",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_producer_is_told_of_each_status_change_after_commit(settings, make_user):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.utils import timezone

    committee = [make_user("committee") for _ in range(3)]
    producer = ProducerFactory(email="weavers@example.com")
    application = services.submit_application(
        actor=make_user("producer"),
        producer=producer,
        category=ApplicationFactory.build().category,
        name_th="ข้าวหอมมะลิ",
        proposed_price=Decimal("120.00"),
        description_th="ข้าวใหม่",
    )
    services.plan_meeting(
        actor=make_user("staff"), title="ประชุม", held_on=timezone.localdate(), chair=committee[0],
        applications=[application],
    )  # fmt: skip
    score_all(application, committee, value=5)
    services.decide_application(chair=committee[0], application=application, outcome="approve", reason="ดีมาก")
    assert list(OutboundMessage.objects.order_by("id").values_list("event", "status")) == [
        ("application_submitted", "sent"),
        ("application_under_review", "sent"),
        ("application_approved", "sent"),
    ]
    assert [message.to for message in mail.outbox] == [["weavers@example.com"]] * 3
    assert "ข้าวหอมมะลิ" in mail.outbox[-1].subject
    assert "ดีมาก" in mail.outbox[-1].body


def test_a_certification_of_another_producer_is_refused(producer, producer_user):

    other = CertificationFactory()
    with pytest.raises(InvalidApplication):
        services.submit_application(
            actor=producer_user,
            producer=producer,
            category=ApplicationFactory.build().category,
            name_th="x",
            proposed_price=Decimal("10.00"),
            description_th="x",
            certifications=[other],
        )
    assert not Application.objects.exists()


def test_delisting_needs_a_reason_and_takes_the_product_off_the_shelf(under_review, committee, staff):
    score_all(under_review, committee)
    services.decide_application(chair=committee[0], application=under_review, outcome="approve", reason="ดี")
    product = Product.objects.get(application=under_review)
    with pytest.raises(InvalidApplication):
        services.delist_product(actor=staff, product=product, reason="  ")
    product.refresh_from_db()
    assert product.status == Product.Status.LISTED
    services.delist_product(actor=staff, product=product, reason="ใบรับรอง มผช. หมดอายุ")
    product.refresh_from_db()
    assert product.status == Product.Status.DELISTED
    assert product.delistings.get().reason == "ใบรับรอง มผช. หมดอายุ"
