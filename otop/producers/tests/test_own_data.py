"""A producer sees and changes only its own data; a committee member never sees bank details."""

from __future__ import annotations

import json

from otop.producers.models import BankAccount, Producer
from otop.producers.tests.factories import BankAccountFactory


def test_a_producer_sees_its_own_portal(two_producers):
    mine, _other, client = two_producers
    response = client.get("/portal/")
    assert response.status_code == 200
    assert response.context["producer"] == mine


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


def test_staff_see_bank_details_masked_and_in_full_on_request(two_producers, client_for):
    mine, _other, _client = two_producers
    staff = client_for("staff")
    page = staff.get(f"/backoffice/producers/{mine.pk}/").content.decode()
    assert "••••••1111" in page and "1111111111" not in page
    body = staff.get(f"/api/v1/producers/{mine.pk}").json()
    assert body["bank_accounts"][0]["account_number"] == "••••••1111"
    account = mine.bank_accounts.get()
    revealed = staff.post(f"/backoffice/producers/{mine.pk}/reveal/", {"what": "account", "account": account.pk})
    assert "1111111111" in revealed.content.decode()


def test_a_producer_cannot_confirm_its_own_new_bank_account(two_producers):
    mine, _other, client = two_producers
    pending = BankAccountFactory(producer=mine, account_number="3333333333")
    response = client.post(f"/backoffice/producers/bank-accounts/{pending.pk}/", {"action": "confirm"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == BankAccount.Status.PENDING
    assert Producer.objects.get(pk=mine.pk).confirmed_bank_account.account_number == "1111111111"
