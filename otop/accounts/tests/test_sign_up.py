from django.contrib.auth import get_user_model
from django.test import Client

from otop.accounts.roles import CUSTOMER

User = get_user_model()
GOOD = {"name": "สมหญิง ใจดี", "email": "Somying@Example.com", "password1": "ผ้าไหม-2569-x", "password2": "ผ้าไหม-2569-x"}


def test_the_sign_in_page_links_to_sign_up_and_to_a_forgotten_password(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/signup/"' in html
    assert 'href="/accounts/password/forgot/"' in html
    assert "สร้างบัญชี" in html


def test_a_shopper_signs_up_is_signed_in_as_a_customer_and_later_signs_in_with_the_email(client, db):
    response = client.post("/accounts/signup/", GOOD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    user = User.objects.get()
    assert (user.username, user.email, user.first_name) == ("somying@example.com", "somying@example.com", "สมหญิง ใจดี")
    assert list(user.groups.values_list("name", flat=True)) == [CUSTOMER]
    assert client.get("/accounts/").status_code == 200
    assert "คำสั่งซื้อของฉัน" in client.get("/accounts/").content.decode()

    other = Client()
    signed_in = other.post("/accounts/login/", {"username": "SOMYING@example.com", "password": GOOD["password1"]})
    assert signed_in.status_code == 302


def test_sign_up_returns_to_the_page_it_came_from_but_never_to_another_site(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "next": "/checkout/"})
    assert response["Location"] == "/checkout/"
    client.logout()
    response = client.post("/accounts/signup/", {**GOOD, "email": "b@example.com", "next": "https://evil.example/"})
    assert response["Location"] == "/accounts/"


def test_an_address_with_an_account_is_refused_and_nothing_changes(client, make_user, db):
    make_user("customer", username="old", email="somying@example.com")
    response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 200
    assert "มีบัญชีที่ใช้อีเมลนี้อยู่แล้ว" in response.content.decode()
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_mismatched_or_weak_passwords_are_refused_beside_the_field(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "password2": "something-else-1"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in response.content.decode()
    response = client.post("/accounts/signup/", {**GOOD, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_sign_ups_from_one_address_are_throttled(client, db):
    for number in range(10):
        client.post("/accounts/signup/", {**GOOD, "email": f"x{number}@example.com"}, REMOTE_ADDR="10.0.0.8")
        client.logout()
    response = client.post("/accounts/signup/", {**GOOD, "email": "y@example.com"}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 429
    assert User.objects.count() == 10
