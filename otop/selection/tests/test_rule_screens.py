"""The manager changes how the committee decides: the decision rule's thresholds and the criteria."""

from decimal import Decimal

from django.urls import reverse

from otop.core.models import AuditEvent
from otop.selection import selectors, services
from otop.selection.models import Criterion, DecisionRule
from otop.selection.tests.conftest import all_criteria

RULES = "/selection/backoffice/rules/"


def rule_values():
    rule = DecisionRule.objects.get()
    return (rule.min_scorers, rule.approve_mean, rule.min_criterion_mean, rule.reject_below_mean)


def test_a_lower_bar_turns_an_open_application_into_an_approval(client_for, under_review, committee):
    for member in committee:
        services.score_application(member=member, application=under_review, scores=all_criteria(3))
    assert selectors.tally_for(under_review).proposal == "changes"  # mean 3.00 < 3.50

    client = client_for("manager")
    response = client.post(
        RULES, {"min_scorers": 3, "approve_mean": "3.00", "min_criterion_mean": "2.00", "reject_below_mean": "2.50"}
    )
    assert response.status_code == 302
    assert selectors.tally_for(under_review).proposal == "approve"
    event = AuditEvent.objects.get(action="selection.rule_changed")
    assert event.data["before"]["approve_mean"] == "3.50" and event.data["after"]["approve_mean"] == "3.00"


def test_a_rule_that_cannot_work_is_refused_in_thai_and_changes_nothing(client_for):
    before = rule_values()
    client = client_for("manager")
    page = client.post(
        RULES, {"min_scorers": 3, "approve_mean": "3.00", "min_criterion_mean": "2.00", "reject_below_mean": "4.00"}
    ).content.decode()
    assert "ต้องเริ่มต่ำกว่าค่าเฉลี่ยที่ใช้อนุมัติ" in page
    page = client.post(
        RULES, {"min_scorers": 0, "approve_mean": "6", "min_criterion_mean": "2.00", "reject_below_mean": "2.50"}
    ).content.decode()
    assert page.count('class="field has-error"') >= 2
    assert rule_values() == before
    assert not AuditEvent.objects.filter(action="selection.rule_changed").exists()


def test_a_new_criterion_is_scored_from_now_on_and_a_retired_one_no_longer(client_for, under_review, committee):
    client = client_for("manager")
    response = client.post(
        reverse("selection:backoffice-criterion-new"),
        {"code": "export-ready", "name_th": "พร้อมส่งออก", "name_en": "Export-ready", "sort_order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    added = Criterion.objects.get(code="export-ready")
    form = client_for("committee").get(reverse("selection:application", args=[under_review.pk])).content.decode()
    assert "พร้อมส่งออก" in form

    old = Criterion.objects.exclude(pk=added.pk).first()
    client.post(
        reverse("selection:backoffice-criterion", args=[old.pk]),
        {"code": old.code, "name_th": old.name_th, "name_en": old.name_en, "sort_order": old.sort_order},
    )  # "in use" left unticked
    old.refresh_from_db()
    assert old.is_active is False
    services.score_application(member=committee[0], application=under_review, scores=all_criteria(4))
    assert old.pk not in all_criteria(4) and added.pk in all_criteria(4)


def test_the_last_criterion_in_use_cannot_be_retired(client_for):
    keep = Criterion.objects.filter(is_active=True).first()
    Criterion.objects.exclude(pk=keep.pk).update(is_active=False)
    page = (
        client_for("manager")
        .post(
            reverse("selection:backoffice-criterion", args=[keep.pk]),
            {"code": keep.code, "name_th": keep.name_th, "name_en": keep.name_en, "sort_order": 1},
        )
        .content.decode()
    )
    assert "ต้องมีเกณฑ์ที่ใช้อยู่อย่างน้อยหนึ่งข้อ" in page
    keep.refresh_from_db()
    assert keep.is_active is True


def test_only_the_manager_changes_the_rule(client_for):
    before = rule_values()
    for role in ("staff", "committee"):
        client = client_for(role)
        assert client.get(RULES).status_code == 403
        assert client.post(RULES, {"min_scorers": 1, "approve_mean": "1", "min_criterion_mean": "1",
                                   "reject_below_mean": "1"}).status_code == 403  # fmt: skip
        assert client.get(reverse("selection:backoffice-criterion-new")).status_code == 403
    assert rule_values() == before
    assert Decimal(before[1]) == Decimal("3.50")
