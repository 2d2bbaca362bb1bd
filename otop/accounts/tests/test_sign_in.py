import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import PASSWORD
from otop.accounts.services import issue_api_token, revoke_api_token


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def test_staff_sign_in_with_user_name(make_user):
    make_user("staff", username="somchai")
    client = Client()
    response = sign_in(client, "somchai", PASSWORD)
    assert response.status_code == 302
    assert client.get("/backoffice/").status_code == 200


def test_producer_signs_in_with_phone_number_in_any_format(make_user):
    make_user("producer", username="group1", phone="0812345678")
    client = Client()
    assert sign_in(client, "081-234-5678", PASSWORD).status_code == 302
    assert get_user_model().objects.get(username="group1").last_login is not None


def test_wrong_password_is_refused_in_thai(make_user):
    make_user("staff", username="somchai")
    response = sign_in(Client(), "somchai", "wrong-password")
    assert response.status_code == 200
    assert "ไม่ถูกต้อง" in response.content.decode()


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(make_user, settings):
    make_user("manager", username="boss")
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "boss", "wrong-password")
    response = sign_in(client, "boss", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", ["th", "en"])
def test_api_token_authenticates_and_revoked_token_does_not(make_user, language):
    user = make_user("cashier")
    token, key = issue_api_token(user=user, name="till sync")
    client = Client()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.json()["roles"] == ["cashier"]
    revoke_api_token(token=token)
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 401
    expected = "กรุณาเข้าสู่ระบบก่อน" if language == "th" else "Please sign in first."
    assert refused.json() == {"error": {"code": "not_authenticated", "message": expected, "fields": {}}}
