"""A shopper signs up with a mobile number proved by a code by SMS (ThaiBulkSMS, a fake of its API v2 on
127.0.0.1): the account exists only once the code is right; a refused SMS says why in Thai."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from otop.accounts.models import PhoneSignUp
from otop.accounts.roles import CUSTOMER

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "ผ้าไหม-2569-x"
GOOD = {"name": "สมชาย ขายผ้า", "phone": "089 123 4567", "password1": PASSWORD, "password2": PASSWORD}


def _start(client: Client, capture, **changes):
    with capture(execute=True):
        return client.post("/accounts/signup/phone/", {**GOOD, **changes})


def _code(fake) -> str:
    return re.search(r"\b(\d{6})\b", fake.sent[-1]["message"]).group(1)


def test_a_shopper_signs_up_with_a_phone_proved_by_sms_and_signs_in_with_it(
    fake_sms, django_capture_on_commit_callbacks
):
    client = Client()
    assert 'href="/accounts/signup/phone/"' in client.get("/accounts/signup/").text

    response = _start(client, django_capture_on_commit_callbacks)

    assert response.status_code == 200 and "08•••••567" in response.text
    assert "ส่ง SMS ถึง 08•••••567 แล้ว" in client.get("/accounts/signup/phone/sms/").text
    assert not User.objects.exists()  # nothing until the code comes back
    sms = fake_sms.sent[-1]
    assert sms["number"] == "0891234567" and "สมัคร" in sms["message"] and len(sms["message"]) <= 70
    assert PASSWORD not in PhoneSignUp.objects.get().password  # kept hashed

    response = client.post("/accounts/signup/phone/code/", {"code": _code(fake_sms)})

    assert response.status_code == 302 and response["Location"] == "/accounts/"
    user = User.objects.get()
    assert (user.username, user.phone, user.first_name, user.email) == ("0891234567", "0891234567", "สมชาย ขายผ้า", "")
    assert list(user.groups.values_list("name", flat=True)) == [CUSTOMER]
    assert not PhoneSignUp.objects.exists()  # the account holds it now; nothing kept beside it
    other = Client()
    assert other.post("/accounts/login/", {"username": "089-123-4567", "password": PASSWORD}).status_code == 302


def test_a_wrong_code_counts_a_try_and_makes_no_account(fake_sms, django_capture_on_commit_callbacks):
    client = Client()
    _start(client, django_capture_on_commit_callbacks)
    right = _code(fake_sms)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/accounts/signup/phone/code/", {"code": wrong})
    assert response.status_code == 400 and "เหลืออีก 4 ครั้ง" in response.text
    assert not User.objects.exists() and PhoneSignUp.objects.get().wrong_tries == 1
    for _ in range(4):
        client.post("/accounts/signup/phone/code/", {"code": wrong})
    response = client.post("/accounts/signup/phone/code/", {"code": right})  # locked: even the right code
    assert response.status_code == 400 and not User.objects.exists()


def test_no_credit_says_so_in_thai_and_the_code_opens_nothing(fake_sms, django_capture_on_commit_callbacks):
    fake_sms.credit = 0
    client = Client()
    assert _start(client, django_capture_on_commit_callbacks).status_code == 200
    status = client.get("/accounts/signup/phone/sms/")
    assert "เครดิต SMS ของศูนย์หมด" in status.text and 'role="alert"' in status.text
    assert fake_sms.sent == []
    # Whatever is typed (the right code included: it never left), the answer is the SMS's trouble; no try counts.
    response = client.post("/accounts/signup/phone/code/", {"code": "123456"})
    assert response.status_code == 400 and "เครดิต SMS ของศูนย์หมด" in response.text
    assert not User.objects.exists() and PhoneSignUp.objects.get().wrong_tries == 0


def test_a_number_with_an_account_or_a_land_line_is_refused_and_nothing_is_sent(
    fake_sms, make_user, django_capture_on_commit_callbacks
):
    make_user(CUSTOMER, phone="0891234567")
    response = _start(Client(), django_capture_on_commit_callbacks)
    assert response.status_code == 409 and "มีบัญชีที่ใช้เบอร์นี้อยู่แล้ว" in response.text
    response = _start(Client(), django_capture_on_commit_callbacks, phone="043 123 456")
    assert response.status_code == 400 and "เบอร์มือถือ" in response.text
    assert fake_sms.requests == [] and not PhoneSignUp.objects.exists()


def test_codes_are_limited_per_number(fake_sms, django_capture_on_commit_callbacks):
    for n in range(3):
        response = _start(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), django_capture_on_commit_callbacks)
        assert response.status_code == 200
    response = _start(Client(REMOTE_ADDR="192.0.2.9"), django_capture_on_commit_callbacks)
    assert response.status_code == 429 and "ขอรหัสบ่อยเกินไป" in response.text
    assert len(fake_sms.sent) == 3


def test_without_sms_the_phone_sign_up_says_it_is_not_set_up(settings):
    settings.THAIBULKSMS_API_KEY = ""
    response = Client().get("/accounts/signup/phone/")
    assert response.status_code == 200 and "ยังไม่ได้ตั้งค่า SMS" in response.text and 'name="phone"' not in response.text
    response = Client().post("/accounts/signup/phone/", GOOD)
    assert not PhoneSignUp.objects.exists() and not User.objects.exists()


def test_unfinished_sign_ups_are_deleted_a_day_after_their_code_expired(fake_sms, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from otop.accounts.services import start_phone_sign_up

    old = start_phone_sign_up(
        name="ค้างไว้", phone="0861112222", password=PASSWORD, client="192.0.2.1",
        now=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    _start(Client(), django_capture_on_commit_callbacks)
    assert not PhoneSignUp.objects.filter(pk=old.pk).exists()
    assert PhoneSignUp.objects.filter(phone="0891234567").exists()
