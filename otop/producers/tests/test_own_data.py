"""A producer sees and changes only its own data; a committee member never sees bank details."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from otop.producers.models import BankAccount, Producer
from otop.producers.tests.factories import BankAccountFactory, ProducerFactory
from otop.selection.tests.factories import ApplicationFactory


@pytest.fixture
def two_producers(make_user):
    mine_user = make_user("producer", phone="0861112222")
    mine = ProducerFactory(user=mine_user, name_th="กลุ่มของฉัน")
    other = ProducerFactory(user=make_user("producer", phone="0863334444"), name_th="กลุ่มอื่น")
    BankAccountFactory(producer=mine, status=BankAccount.Status.CONFIRMED, account_number="1111111111")
    BankAccountFactory(producer=other, status=BankAccount.Status.CONFIRMED, account_number="2222222222")
    client = Client()
    client.force_login(mine_user)
    return mine, other, client


def test_a_producer_sees_its_own_portal(two_producers):
    mine, _other, client = two_producers
    response = client.get("/portal/")
    assert response.status_code == 200
    assert response.context["producer"] == mine


def test_a_producer_cannot_open_another_producers_application(two_producers):
    _mine, other, client = two_producers
    theirs = ApplicationFactory(producer=other)
    assert client.get(f"/portal/applications/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/applications/{theirs.pk}").status_code == 404
    assert client.get(f"/selection/applications/{theirs.pk}/letter.pdf").status_code == 403


def test_a_producer_reads_only_itself_through_the_api(two_producers):
    mine, other, client = two_producers
    assert client.get("/api/v1/producers/me").json()["name_th"] == "กลุ่มของฉัน"
    assert client.get(f"/api/v1/producers/{other.pk}").status_code == 403
    assert client.get("/api/v1/producers").status_code == 403
    own = client.get(f"/api/v1/producers/{mine.pk}").json()
    assert [account["account_number"] for account in own["bank_accounts"]] == ["1111111111"]


def test_a_producer_changes_only_its_own_profile(two_producers):
    mine, other, client = two_producers
    response = client.patch(
        "/api/v1/producers/me", data=json.dumps({"line_id": "@mygroup"}), content_type="application/json"
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.line_id == "@mygroup"
    assert other.line_id == ""


def test_a_producer_cannot_change_its_star_level_through_the_api(two_producers):
    mine, _other, client = two_producers
    response = client.patch("/api/v1/producers/me", data=json.dumps({"otop_stars": 5}), content_type="application/json")
    assert response.status_code == 200  # unknown fields are ignored by the schema
    mine.refresh_from_db()
    assert mine.otop_stars is None


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


def test_staff_see_bank_details(two_producers, client_for):
    mine, _other, _client = two_producers
    staff = client_for("staff")
    assert b"1111111111" in staff.get(f"/backoffice/producers/{mine.pk}/").content
    body = staff.get(f"/api/v1/producers/{mine.pk}").json()
    assert body["bank_accounts"][0]["account_number"] == "1111111111"


def test_a_producer_cannot_confirm_its_own_new_bank_account(two_producers):
    mine, _other, client = two_producers
    pending = BankAccountFactory(producer=mine, account_number="3333333333")
    response = client.post(f"/backoffice/producers/bank-accounts/{pending.pk}/", {"action": "confirm"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == BankAccount.Status.PENDING
    assert Producer.objects.get(pk=mine.pk).confirmed_bank_account.account_number == "1111111111"
