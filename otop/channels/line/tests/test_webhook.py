"""The webhook: signatures, events kept once, answers through the real SDK to a fake LINE Platform."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs

import pytest
from django.test import Client

from otop.channels.line.outbox import queue_push
from otop.channels.line.tests.helpers import (
    event,
    new_user_id,
    post_events,
    postback_event,
    sign,
    stocked_product,
    text_event,
)
from otop.channels.line.webhook import signature_is_valid
from otop.channels.models import ChatContact, Conversation, InboundEvent
from otop.notifications.models import OutboundMessage
from otop.search.selectors import search_products


def test_the_published_signature_vector_is_accepted_and_a_changed_one_is_not():
    vector = "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="
    assert signature_is_valid(channel_secret="channel_secret", body=b"bodybodybodybody", signature=vector)
    assert not signature_is_valid(channel_secret="channel_secret", body=b"bodybodybodybodx", signature=vector)
    assert not signature_is_valid(channel_secret="other_secret", body=b"bodybodybodybody", signature=vector)
    assert not signature_is_valid(channel_secret="channel_secret", body=b"bodybodybodybody", signature="ไม่ใช่")


@pytest.mark.django_db
def test_without_secret_and_token_the_channel_is_off(settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    response = Client().post("/line/webhook", data=b'{"events": []}', content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_missing_or_tampered_signature_changes_nothing_and_sends_nothing(fake_line):
    stocked_product(name_th="ผ้าไหมมัดหมี่")
    user_id = new_user_id()
    body = json.dumps({"events": [text_event(fake_line, user_id, "ผ้าไหม")]}, ensure_ascii=False).encode()
    client = Client()

    missing = client.post("/line/webhook", data=body, content_type="application/json")
    tampered_body = body.replace("ผ้าไหม".encode(), "ผ้าฝ้าย".encode())
    tampered = client.post(
        "/line/webhook", data=tampered_body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body)
    )
    wrong_secret = client.post(
        "/line/webhook", data=body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body, "another")
    )

    assert (missing.status_code, tampered.status_code, wrong_secret.status_code) == (401, 403, 403)
    assert not InboundEvent.objects.exists()
    assert not ChatContact.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert fake_line.requests == []


@pytest.mark.django_db
def test_a_text_is_a_search_answered_with_one_carousel_in_the_sites_relevance_order(fake_line):
    for name in ("ผ้าไหมมัดหมี่", "ผ้าไหมแพรวา", "ผ้าพันคอไหม", "ผ้าขาวม้า", "ข้าวหอมมะลิ"):
        stocked_product(name_th=name)
    user_id = new_user_id()
    fake_line.add_profile(user_id, display_name="สมศรี", language="th")

    response = post_events([text_event(fake_line, user_id, "ผ้าไหม")])

    assert response.status_code == 200
    replies = fake_line.calls("/v2/bot/message/reply")
    assert len(replies) == 1
    assert replies[0].headers["authorization"] == "Bearer test-channel-access-token"
    [message] = replies[0].json["messages"]
    assert message["type"] == "flex" and message["contents"]["type"] == "carousel"
    bubbles = message["contents"]["contents"]
    names = [bubble["body"]["contents"][0]["text"] for bubble in bubbles]
    assert names == [hit.product.name_th for hit in search_products("ผ้าไหม", limit=12)]
    assert "ผ้าขาวม้า" not in names and "ข้าวหอมมะลิ" not in names
    add = bubbles[0]["footer"]["contents"][0]["action"]
    assert add["type"] == "postback" and parse_qs(add["data"])["action"] == ["add"]
    story = bubbles[0]["footer"]["contents"][1]["action"]
    assert story["uri"].startswith("https://otop.example/products/")
    contact = ChatContact.objects.get(external_id=user_id)
    assert (contact.display_name, contact.language) == ("สมศรี", "th")
    assert InboundEvent.objects.get().status == InboundEvent.Status.DONE


@pytest.mark.django_db
def test_an_english_speaker_is_answered_in_english(fake_line):
    stocked_product(name_th="ผ้าไหมมัดหมี่", name_en="Mudmee silk")
    user_id = new_user_id()
    fake_line.add_profile(user_id, display_name="Anna", language="en")

    post_events([text_event(fake_line, user_id, "silk")])

    [message] = fake_line.calls("/v2/bot/message/reply")[0].json["messages"]
    bubble = message["contents"]["contents"][0]
    assert bubble["body"]["contents"][0]["text"] == "Mudmee silk"
    assert bubble["footer"]["contents"][0]["action"]["label"] == "Add to cart"
    assert bubble["footer"]["contents"][1]["action"]["uri"].startswith("https://otop.example/en/products/")


@pytest.mark.django_db
def test_the_same_event_delivered_again_gets_one_answer(fake_line):
    stocked_product(name_th="ผ้าไหมมัดหมี่")
    user_id = new_user_id()
    first = text_event(fake_line, user_id, "ผ้าไหม")
    again = {**first, "deliveryContext": {"isRedelivery": True}}

    assert post_events([first]).status_code == 200
    assert post_events([again]).status_code == 200

    assert len(fake_line.calls("/v2/bot/message/reply")) == 1
    assert InboundEvent.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_body_posted_twice_at_once_gets_one_answer(fake_line):
    stocked_product(name_th="ผ้าไหมมัดหมี่")
    user_id = new_user_id()
    events = [text_event(fake_line, user_id, "ผ้าไหม")]
    answers: list[int] = []

    def post() -> None:
        answers.append(post_events(events).status_code)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200, 200]
    assert len(fake_line.delivered_to(user_id)) == 1
    assert InboundEvent.objects.count() == 1


@pytest.mark.django_db
def test_unreadable_bodies_and_unknown_events_are_answered_200_and_change_nothing(fake_line):
    client = Client()
    for body in (b"{not json", b'{"events": "many"}', b"[]"):
        response = client.post(
            "/line/webhook", data=body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sign(body)
        )
        assert response.status_code == 200
    user_id = new_user_id()
    unknown = {"type": "beacon", "webhookEventId": "01B", "source": {"type": "user", "userId": user_id}}
    without_id = {"type": "message", "source": {"type": "user", "userId": user_id}, "message": {"type": "text"}}
    assert post_events([unknown, without_id]).status_code == 200
    # LINE's check of a new webhook URL sends no events.
    assert post_events([]).status_code == 200
    assert not InboundEvent.objects.exists()
    assert not ChatContact.objects.exists()
    assert fake_line.requests == []


@pytest.mark.django_db
def test_nothing_found_offers_the_five_categories(fake_line):
    user_id = new_user_id()
    post_events([text_event(fake_line, user_id, "เครื่องบิน")])

    [message] = fake_line.calls("/v2/bot/message/reply")[0].json["messages"]
    assert message["type"] == "text" and "เครื่องบิน" in message["text"]
    actions = [item["action"] for item in message["quickReply"]["items"]]
    categories = [parse_qs(action["data"])["code"][0] for action in actions if "code=" in action["data"]]
    assert sorted(categories) == sorted(["food", "textiles", "household", "souvenirs", "herbal"])
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_a_question_the_bot_cannot_answer_goes_to_the_staff_inbox(fake_line):
    user_id = new_user_id()
    post_events([text_event(fake_line, user_id, "ส่งของไปต่างประเทศได้ไหมครับ")])

    conversation = Conversation.objects.get()
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.reason == Conversation.Reason.UNANSWERED
    assert conversation.messages.get().text == "ส่งของไปต่างประเทศได้ไหมครับ"
    [message] = fake_line.calls("/v2/bot/message/reply")[0].json["messages"]
    assert "เจ้าหน้าที่" in message["text"]


@pytest.mark.django_db
def test_follow_greets_with_the_privacy_note_and_unfollow_stops_pushes(fake_line):
    user_id = new_user_id()
    fake_line.add_profile(user_id, display_name="สมชาย", language="th")
    token = fake_line.issue_reply_token(user_id)

    post_events([event("follow", user_id, reply_token=token, follow={"isUnblocked": False})])

    [greeting] = fake_line.calls("/v2/bot/message/reply")[0].json["messages"]
    # What is kept and why, and how to stop it (the privacy notice's link joins once that page exists).
    assert "ศูนย์เก็บชื่อ LINE ข้อความ และคำสั่งซื้อของคุณ" in greeting["text"]
    assert "เลิกติดตามบัญชีได้ทุกเมื่อ" in greeting["text"]
    assert len(greeting["quickReply"]["items"]) == 6
    assert ChatContact.objects.get(external_id=user_id).is_following

    post_events([event("unfollow", user_id)])

    contact = ChatContact.objects.get(external_id=user_id)
    assert not contact.is_following
    assert queue_push(contact, [{"type": "text", "text": "x"}], event="test") is None


@pytest.mark.django_db
def test_a_postback_the_bot_does_not_know_gets_help_not_an_error(fake_line):
    user_id = new_user_id()
    post_events([postback_event(fake_line, user_id, "action=fly&to=moon")])
    [message] = fake_line.calls("/v2/bot/message/reply")[0].json["messages"]
    assert message["type"] == "text"
    assert InboundEvent.objects.get().status == InboundEvent.Status.DONE


@pytest.mark.django_db
def test_a_profile_line_will_not_give_is_asked_for_once(fake_line):
    user_id = new_user_id()  # no profile at the fake: LINE answers 404
    post_events([text_event(fake_line, user_id, "ผ้าไหม")])
    post_events([text_event(fake_line, user_id, "ผ้าฝ้าย")])

    assert len([r for r in fake_line.requests if r.path == f"/v2/bot/profile/{user_id}"]) == 1
    assert len(fake_line.calls("/v2/bot/message/reply")) == 2


@pytest.mark.django_db
def test_webhook_events_are_forgotten_after_a_month(fake_line):
    from datetime import timedelta

    from django.utils import timezone

    from otop.channels.services import forget_old_events

    post_events([text_event(fake_line, new_user_id(), "ผ้าไหม")])
    assert forget_old_events(now=timezone.now() + timedelta(days=29)) == 0
    assert forget_old_events(now=timezone.now() + timedelta(days=31)) == 1
    assert not InboundEvent.objects.exists()
