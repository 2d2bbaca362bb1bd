"""A producer sees only its own applications; a committee member sees applications but no bank details."""

from __future__ import annotations

from otop.selection.tests.factories import ApplicationFactory


def test_a_producer_cannot_open_another_producers_application(two_producers):
    _mine, other, client = two_producers
    theirs = ApplicationFactory(producer=other)
    assert client.get(f"/portal/applications/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/{theirs.pk}").status_code == 404
    assert client.get(f"/selection/applications/{theirs.pk}/letter.pdf").status_code == 403


def test_the_producers_list_shows_only_its_own_applications(two_producers):
    mine, other, client = two_producers
    ApplicationFactory(producer=mine, name_th="ของฉัน")
    ApplicationFactory(producer=other, name_th="ของคนอื่น")
    assert [row["name_th"] for row in client.get("/api/v1/applications").json()] == ["ของฉัน"]


def test_a_committee_member_sees_applications_but_no_bank_details(two_producers, client_for):
    mine, _other, _client = two_producers
    application = ApplicationFactory(producer=mine)
    committee = client_for("committee")
    page = committee.get(f"/selection/applications/{application.pk}/")
    assert page.status_code == 200
    assert b"1111111111" not in page.content
    assert committee.get(f"/api/v1/applications/{application.pk}").json()["producer_name"] == "กลุ่มของฉัน"
    assert committee.get(f"/api/v1/producers/{mine.pk}").status_code == 403
    assert committee.get(f"/backoffice/producers/{mine.pk}/").status_code == 403
