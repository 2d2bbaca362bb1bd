"""Our ThaiBulkSMS client against a fake of its API v2 on 127.0.0.1: authentication, the answers for wrong
credentials, no credit and a bad number, retries for the provider's own trouble, Thai text in one message."""

from __future__ import annotations

import base64

import pytest
from django.utils import translation

from otop.notifications import sms
from otop.notifications.channels import TemporaryFailure
from otop.notifications.models import OutboundMessage
from otop.notifications.services import deliver

pytestmark = pytest.mark.django_db


def test_a_thai_code_goes_with_basic_auth_as_one_ucs2_message(fake_sms):
    text = sms.render_sms(event="privacy/guest_code", language="th", context={"code": "123456", "minutes": 10})
    assert "123456" in text and any("\u0e00" <= ch <= "\u0e7f" for ch in text)
    assert len(text) <= sms.ONE_MESSAGE_UCS2

    sent = sms.send_sms(phone="0815556666", text=text)

    path, fields, authorization = fake_sms.requests[-1]
    assert path == "/sms"
    assert authorization == "Basic " + base64.b64encode(b"tbs-key:tbs-secret").decode()
    assert fields == {"msisdn": "0815556666", "message": text, "force": "corporate", "sender": "OTOPKK"}
    assert sent.message_id == "tbs000001" and sent.used_credit == 1 and sent.remaining_credit == 99


def test_the_english_code_is_short_too():
    with translation.override("en"):
        text = sms.render_sms(event="privacy/guest_code", language="en", context={"code": "123456", "minutes": 10})
    assert text.startswith("OTOP Center code 123456") and len(text) <= 160


def test_wrong_credentials_are_refused_for_good(fake_sms, settings):
    settings.THAIBULKSMS_API_SECRET = "not-the-secret"
    with pytest.raises(sms.SmsRefused) as refused:
        sms.send_sms(phone="0815556666", text="รหัส 123456")
    assert refused.value.reason == sms.BAD_CREDENTIALS
    assert fake_sms.sent == []


def test_no_credit_left_is_refused_for_good(fake_sms):
    fake_sms.credit = 0
    with pytest.raises(sms.SmsRefused) as refused:
        sms.send_sms(phone="0815556666", text="รหัส 123456")
    assert refused.value.reason == sms.NO_CREDIT
    assert "402" in str(refused.value) or "CREDIT" in str(refused.value)


def test_a_number_the_provider_cannot_reach_is_refused_for_good(fake_sms):
    with pytest.raises(sms.SmsRefused) as refused:
        sms.send_sms(phone="0212345678", text="รหัส 123456")  # a Bangkok land line
    assert refused.value.reason == sms.BAD_NUMBER
    assert fake_sms.sent == []


def test_the_providers_own_trouble_and_no_answer_are_tried_again(fake_sms, settings):
    fake_sms.busy = True
    with pytest.raises(TemporaryFailure):
        sms.send_sms(phone="0815556666", text="รหัส 123456")
    settings.THAIBULKSMS_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(TemporaryFailure):
        sms.send_sms(phone="0815556666", text="รหัส 123456")


def test_without_credentials_sms_is_not_set_up(settings):
    settings.THAIBULKSMS_API_KEY = ""
    assert not sms.sms_is_set_up()
    with pytest.raises(sms.SmsRefused):
        sms.send_sms(phone="0815556666", text="x")


def test_the_worker_sends_a_recorded_sms_and_records_a_refusal_with_its_reason(
    fake_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        good = sms.notify_by_sms(
            event="privacy/guest_code", phone="0815556666", context={"code": "111111", "minutes": 10}
        )
    good.refresh_from_db()
    assert good.channel == OutboundMessage.Channel.SMS and good.status == OutboundMessage.Status.SENT
    assert fake_sms.sent[-1]["number"] == "0815556666" and "111111" in fake_sms.sent[-1]["message"]
    assert sms.delivery_state(good.pk) == ("sent", "")

    fake_sms.credit = 0
    poor = sms.notify_by_sms(event="privacy/guest_code", phone="0815556666", context={"code": "222222", "minutes": 10})
    with pytest.raises(sms.SmsRefused):
        deliver(message_id=poor.pk)
    poor.refresh_from_db()
    assert poor.status == OutboundMessage.Status.FAILED and poor.failure == sms.NO_CREDIT
    state, why = sms.delivery_state(poor.pk)
    assert state == "failed" and "เครดิต" in why
    assert len(fake_sms.sent) == 1


def test_a_busy_provider_leaves_the_sms_queued_for_a_retry(fake_sms):
    fake_sms.busy = True
    message = sms.notify_by_sms(
        event="privacy/guest_code", phone="0815556666", context={"code": "333333", "minutes": 10}
    )
    deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED and message.next_attempt_at is not None
    assert sms.delivery_state(message.pk) == ("queued", "")


def test_sms_is_never_queued_for_ordinary_notices(fake_sms, make_user):
    from otop.notifications.channels import Recipient
    from otop.notifications.services import notify_person

    user = make_user("customer", phone="0815556666", email="a@example.com")
    queued = notify_person(recipient=Recipient(user=user, email=user.email), event="test_event", context={"name": "x"})
    assert {message.channel for message in queued} == {OutboundMessage.Channel.EMAIL}
