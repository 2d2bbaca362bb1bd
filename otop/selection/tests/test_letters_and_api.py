from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdfium2
from django.test import Client

from otop.selection import services
from otop.selection.letters import decision_letter_pdf
from otop.selection.models import Scorecard
from otop.selection.tests.conftest import all_criteria


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    # Lines wrap inside Thai words (no spaces); join them to search the running text.
    return text.replace("\r", "").replace("\n", "")


def test_the_decision_letter_is_a_thai_pdf_with_a_buddhist_era_date(under_review, committee):
    for member in committee:
        services.score_application(member=member, application=under_review, scores=all_criteria(4))
    decided_at = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    decision = services.decide_application(
        chair=committee[0], application=under_review, outcome="approve", reason="คุณภาพดี", now=decided_at
    )
    text = _pdf_text(decision_letter_pdf(decision=decision))
    assert "25 พฤศจิกายน 2569" in text
    assert "แจ้งผลการพิจารณาคัดเลือกสินค้า" in text
    assert "ผ้าไหมมัดหมี่ลายนาคน้อย" in text
    # pdfium extracts sara am (ำ) as two marks, so check words without it.
    assert "มีมติ อนุมัติให้" in text
    assert f"{under_review.pk}-1/2569" in text


def test_the_producer_downloads_its_letter(under_review, committee, producer_user):
    for member in committee:
        services.score_application(member=member, application=under_review, scores=all_criteria(2))
    services.decide_application(chair=committee[0], application=under_review, outcome="reject", reason="ยังไม่พร้อม")
    client = Client()
    client.force_login(producer_user)
    response = client.get(f"/selection/applications/{under_review.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ไม่อนุมัติ" in _pdf_text(response.content)


def _api(user):
    client = Client()
    client.force_login(user)
    return client


def test_scoring_and_deciding_through_the_api(under_review, committee):
    codes = ["quality", "packaging", "standards", "price", "story", "market"]
    for member in committee:
        response = _api(member).post(
            f"/api/v1/applications/{under_review.pk}/scores",
            data=json.dumps({"scores": dict.fromkeys(codes, 5)}),
            content_type="application/json",
        )
        assert response.status_code == 201
    assert response.json() == {"scorers": 3, "mean": "5.00", "proposal": "approve"}
    response = _api(committee[0]).post(
        f"/api/v1/applications/{under_review.pk}/decision",
        data=json.dumps({"outcome": "approve", "reason": "ดีเยี่ยม"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "approve"
    assert _api(committee[1]).get(f"/api/v1/applications/{under_review.pk}").json()["status"] == "approved"


def test_the_api_refuses_a_second_score_with_a_clear_error(under_review, committee):
    client = _api(committee[1])
    payload = json.dumps({"scores": {c: 4 for c in ["quality", "packaging", "standards", "price", "story", "market"]}})
    assert (
        client.post(
            f"/api/v1/applications/{under_review.pk}/scores", data=payload, content_type="application/json"
        ).status_code
        == 201
    )
    again = client.post(f"/api/v1/applications/{under_review.pk}/scores", data=payload, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_scored"
    assert again.json()["error"]["message"] == "คุณให้คะแนนใบสมัครนี้แล้ว"
    assert Scorecard.objects.count() == 1


def test_a_producer_cannot_score_through_the_api(under_review, producer_user):
    response = _api(producer_user).post(
        f"/api/v1/applications/{under_review.pk}/scores",
        data=json.dumps({"scores": {"quality": 5}}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Scorecard.objects.exists()


def test_a_producer_applies_through_the_api(producer, producer_user):
    response = _api(producer_user).post(
        "/api/v1/applications",
        data=json.dumps(
            {"category": "food", "name_th": "น้ำพริกปลาร้า", "proposed_price": "65.00", "description_th": "รสจัด"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["producer_id"] == producer.pk


def test_the_meeting_view_shows_the_agenda_and_the_proposal(under_review, committee):
    for member in committee:
        services.score_application(member=member, application=under_review, scores=all_criteria(4))
    response = _api(committee[0]).get(f"/selection/meetings/{under_review.meeting_id}/")
    assert response.status_code == 200
    [(application, tally, scored)] = response.context["rows"]
    assert (application.pk, tally.proposal, scored) == (under_review.pk, "approve", True)


def test_the_manager_sees_the_applications_audit_trail(under_review, manager):
    response = _api(manager).get(f"/selection/backoffice/applications/{under_review.pk}/audit/")
    assert response.status_code == 200
    assert [event.action for event in response.context["events"]] == [
        "selection.application_submitted",
        "selection.application_under_review",
    ]
