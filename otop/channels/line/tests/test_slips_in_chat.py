"""A transfer slip sent as a photo in LINE: its content is fetched from LINE's data API, the mini-QR read
and the bank asked, as for an uploaded slip; it pays the chat's order once, and is refused for another."""

from __future__ import annotations

import io

import pytest
import segno
from django.test import Client

from otop.channels.line.tests.helpers import committed, event, new_user_id, post_events, stocked_product
from otop.channels.line.tests.test_orders_in_chat import PICKUP, add, checkout_path
from otop.channels.models import Conversation
from otop.orders.models import Order
from otop.payments.tests.fake_bank import FakeBank, bank_settings, transfer_slip

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(settings):
    with FakeBank() as fake:
        bank_settings(settings, fake)
        settings.BANK_BILLER_ID = ""  # the AnyID QR: the case slips are for
        yield fake


def _png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def _order_in_chat(line, product) -> tuple[str, Order]:
    user_id = new_user_id()
    add(line, user_id, product)
    with committed():
        assert Client().post(checkout_path(line, user_id), PICKUP).status_code == 302
    return user_id, Order.objects.order_by("-pk").first()


def _send_photo(line, user_id: str, message_id: str, content: bytes) -> str:
    line.add_content(message_id, content, "image/png")
    token = line.issue_reply_token(user_id)
    post_events([event("message", user_id, reply_token=token, message={"type": "image", "id": message_id})])
    return line.calls("/v2/bot/message/reply")[-1].json["messages"][0]["text"]


def test_a_slip_photo_pays_the_chats_order_and_is_refused_for_another(fake_line, promptpay, bank):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="1500.00", quantity=3)
    first_user, first = _order_in_chat(fake_line, silk)
    second_user, second = _order_in_chat(fake_line, silk)
    slip = _png(transfer_slip(bank, amount=first.total, receiver_proxy="xxx-xxx-5678"))

    answer = _send_photo(fake_line, first_user, "msg-slip-1", slip)

    assert [r.path for r in fake_line.requests if r.host == "data"] == ["/v2/bot/message/msg-slip-1/content"]
    first.refresh_from_db()
    assert first.status == Order.Status.PAID and first.number in answer
    answer = _send_photo(fake_line, second_user, "msg-slip-2", slip)
    second.refresh_from_db()
    assert second.status == Order.Status.PENDING_PAYMENT
    assert answer == "สลิปนี้ถูกใช้ชำระไปแล้ว"
    assert not Conversation.objects.exists()  # slips are answered by the bot, not left to staff


def test_a_slip_for_another_amount_is_refused_in_thai_and_a_plain_photo_goes_to_staff(fake_line, promptpay, bank):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="1500.00", quantity=3)
    user_id, order = _order_in_chat(fake_line, silk)
    slip = _png(transfer_slip(bank, amount="10.00", receiver_proxy="xxx-xxx-5678"))
    answer = _send_photo(fake_line, user_id, "msg-slip-3", slip)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert answer == "ยอดเงินในสลิปไม่ตรงกับยอดที่ต้องชำระ กรุณาชำระให้ตรงยอด"
    _send_photo(fake_line, user_id, "msg-photo", _png("just a picture of silk"))
    assert Conversation.objects.count() == 1
