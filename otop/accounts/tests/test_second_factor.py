"""Staff sign in with a second factor: an authenticator app (TOTP) with recovery codes."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from otop.accounts import roles
from otop.accounts.middleware import LAST_SEEN
from otop.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    # django-otp waits 1 s, 2 s, 4 s… after each wrong code; test_wrong_codes_slow_down_the_next_try shows it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _sign_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice, *, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_a_manager_cannot_reach_the_back_office_without_a_second_factor(make_user):
    manager = make_user(roles.MANAGER)
    client = _sign_in(manager)

    for path in ("/backoffice/", "/privacy/requests/", "/orders/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/second-factor/"), path
    assert client.get("/api/v1/me").status_code == 403

    setup = client.get("/accounts/second-factor/?next=/backoffice/")
    assert "<svg" in setup.text and "otpauth" not in setup.text  # the secret is in the QR code, not in a link
    device = TOTPDevice.objects.get(user=manager, confirmed=False)

    wrong = client.post("/accounts/second-factor/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    assert client.get("/backoffice/").status_code == 302

    done = client.post("/accounts/second-factor/", {"code": _code(device), "next": "/backoffice/"})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", done.text)
    assert len(codes) == 10
    assert client.get("/backoffice/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.second_factor_set", target_id=str(manager.pk)).exists()

    # Next time: password, then the code from the app.
    again = _sign_in(manager)
    assert again.get("/backoffice/").status_code == 302
    device.refresh_from_db()
    again.post("/accounts/second-factor/", {"code": _code(device, drift=1)})
    assert again.get("/backoffice/").status_code == 200

    # A recovery code works once.
    lost_phone = _sign_in(manager)
    lost_phone.post("/accounts/second-factor/", {"code": codes[0]})
    assert lost_phone.get("/backoffice/").status_code == 200
    reused = _sign_in(manager)
    reused.post("/accounts/second-factor/", {"code": codes[0]})
    assert reused.get("/backoffice/").status_code == 302


def test_wrong_codes_slow_down_the_next_try(make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    manager = make_user(roles.MANAGER)
    client = _sign_in(manager)
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=manager)
    client.post("/accounts/second-factor/", {"code": "12345x"})
    client.post("/accounts/second-factor/", {"code": _code(device)})  # right, but straight after a wrong one
    assert client.get("/backoffice/").status_code == 302
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_an_offsite_next_is_ignored(make_user):
    manager = make_user(roles.MANAGER)
    client = _sign_in(manager)
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=manager)
    done = client.post("/accounts/second-factor/", {"code": _code(device), "next": "https://evil.example/"})
    assert "evil.example" not in done.text


def test_customers_are_not_asked_unless_they_turned_it_on(make_user):
    customer = make_user(roles.CUSTOMER)
    assert _sign_in(customer).get("/accounts/").status_code == 200


def test_turning_it_off_for_the_site_does_not_lower_an_account_that_set_one_up(make_user, settings):
    settings.TWO_FACTOR_REQUIRED = False
    customer = make_user(roles.CUSTOMER)
    client = _sign_in(customer)
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=customer)
    client.post("/accounts/second-factor/", {"code": _code(device)})
    assert _sign_in(customer).get("/accounts/").status_code == 302


def test_a_back_office_session_ends_after_idle_time(make_user, settings):
    settings.TWO_FACTOR_REQUIRED = False
    settings.STAFF_IDLE_MINUTES = 30
    staff = make_user(roles.STAFF)
    client = _sign_in(staff)
    assert client.get("/backoffice/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/").status_code == 302  # signed out


def test_every_answer_carries_the_permissions_policy(client):
    assert "geolocation=()" in client.get("/").headers["Permissions-Policy"]
