"""A guest who gave only a phone number proves it with a code by SMS (ThaiBulkSMS, a fake of its API v2 on
127.0.0.1), sent from the task queue; a refused SMS leaves a clear Thai message and a code that opens nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otop.core.models import AuditEvent
from otop.notifications.models import OutboundMessage
from otop.orders import services as orders
from otop.privacy.models import ContactCode

pytestmark = pytest.mark.django_db

PHONE = "0815556666"


def _phone_order():
    return orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="สมศรี ใจดี", phone="081-555-6666", email=""),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="9 ถนนมิตรภาพ", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
    )


def _ask(client: Client, contact: str, capture):
    with capture(execute=True):
        return client.post("/privacy/guest/", {"contact": contact})


def _code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_a_guest_proves_a_phone_by_sms_and_sees_the_order_made_with_it(
    shop, fake_sms, django_capture_on_commit_callbacks
):
    order = _phone_order()
    client = Client()
    page = client.get("/privacy/guest/").text
    assert "หรือทาง SMS" in page and 'inputmode="email"' in page

    response = _ask(client, "081 555 6666", django_capture_on_commit_callbacks)

    assert response.status_code == 200 and "08•••••666" in response.text
    assert "ยืนยันอีเมลหรือเบอร์มือถือ" in response.text and "ยังไม่ได้ตั้งค่า SMS" not in response.text
    assert len(fake_sms.sent) == 1
    sms = fake_sms.sent[0]
    assert sms["number"] == PHONE and sms["force"] == "corporate" and sms["sender"] == "OTOPKK"
    assert "รหัส" in sms["message"] and len(sms["message"]) <= 70
    status = client.get("/privacy/guest/code/sms/")
    assert status.status_code == 200 and "ส่ง SMS ถึง 08•••••666 แล้ว" in status.text

    response = client.post("/privacy/guest/code/", {"code": _code_in(sms["message"])})
    assert response.status_code == 302 and response["Location"] == "/privacy/guest/data/"
    data = client.get("/privacy/guest/data.json").json()
    assert [row["number"] for row in data["orders"]["orders"]] == [order.number]
    assert data["contact"] == {"kind": "phone", "value": PHONE}
    assert AuditEvent.objects.filter(action="privacy.guest_verified", summary="08•••••666").exists()


@pytest.mark.parametrize(
    ("trouble", "thai"),
    [("no_credit", "เครดิต SMS ของศูนย์หมด"), ("bad_credentials", "ระบบ SMS ของศูนย์ตั้งค่าไม่ถูกต้อง")],
)
def test_a_refused_sms_says_why_in_thai_and_its_code_opens_nothing(
    shop, fake_sms, settings, django_capture_on_commit_callbacks, trouble, thai
):
    _phone_order()
    if trouble == "no_credit":
        fake_sms.credit = 0
    else:
        settings.THAIBULKSMS_API_SECRET = "an-old-secret"
    client = Client()

    response = _ask(client, PHONE, django_capture_on_commit_callbacks)

    # The same answer as for any number; the task then tries the SMS, and the code step's next look says why.
    assert response.status_code == 200 and "08•••••666" in response.text
    status = client.get("/privacy/guest/code/sms/")
    assert thai in status.text and 'role="alert"' in status.text and "hx-get" not in status.text
    assert fake_sms.sent == []
    message = OutboundMessage.objects.get(channel="sms")
    assert message.status == OutboundMessage.Status.FAILED and message.failure == trouble
    # The code was made but never left: typed anyway, it is refused with the same reason and counts no try.
    response = client.post("/privacy/guest/code/", {"code": _code_in(message.body)})
    assert response.status_code == 409 or response.status_code == 400
    assert thai in response.text
    code = ContactCode.objects.get()
    assert code.used_at is None and code.wrong_tries == 0
    assert client.get("/privacy/guest/data/").status_code == 302
    assert not AuditEvent.objects.filter(action="privacy.guest_verified").exists()


def test_a_land_line_is_refused_before_anything_is_sent(fake_sms, django_capture_on_commit_callbacks):
    response = _ask(Client(), "043 123 456", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "เบอร์มือถือ" in response.text
    assert not ContactCode.objects.exists() and not OutboundMessage.objects.exists() and fake_sms.requests == []


def test_codes_by_sms_are_limited_per_number_with_a_thai_message(fake_sms, django_capture_on_commit_callbacks):
    for n in range(3):
        assert (
            _ask(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), PHONE, django_capture_on_commit_callbacks).status_code == 200
        )
    response = _ask(Client(REMOTE_ADDR="192.0.2.50"), PHONE, django_capture_on_commit_callbacks)
    assert response.status_code == 429 and "ขอรหัสบ่อยเกินไป" in response.text and response["Retry-After"]
    assert len(fake_sms.sent) == 3 and ContactCode.objects.count() == 3


def test_the_code_step_asks_again_while_the_sms_is_on_its_way(fake_sms):
    client = Client()
    response = client.post("/privacy/guest/", {"contact": PHONE})  # the task has not run yet
    assert 'hx-get="/privacy/guest/code/sms/"' in response.text and "กำลังส่ง SMS" in response.text
    assert fake_sms.sent == []


def test_without_credentials_the_page_says_sms_is_not_set_up(settings):
    settings.THAIBULKSMS_API_KEY = ""
    page = Client().get("/privacy/guest/").text
    assert "ยังไม่ได้ตั้งค่า SMS" in page
    response = Client().post("/privacy/guest/", {"contact": PHONE})
    assert response.status_code == 400 and "ยังไม่ได้ตั้งค่า SMS" in response.text
    assert not ContactCode.objects.exists()
