"""Producers on LINE (link code, sales in batches, news switched off) and the staff inbox."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from otop.accounts.models import User
from otop.catalog.models import BasketComponent
from otop.channels import services
from otop.channels.line.sales import push_sales_digests
from otop.channels.line.tests.helpers import committed, event, new_user_id, post_events, stocked_product, text_event
from otop.channels.models import ChatContact, Conversation, PushKind
from otop.channels.selectors import push_kinds_enabled
from otop.core.personal_data import personal_data_handlers
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.inventory.services.lowstock import set_threshold
from otop.inventory.tests.factories import ProductFactory, VariantFactory
from otop.notifications.models import OutboundMessage
from otop.pos import selectors as pos_selectors
from otop.pos import services as pos
from otop.pos.tests.factories import RegisterFactory
from otop.producers import notify

pytestmark = pytest.mark.django_db


def linked_producer(line, make_user):
    """A producer whose portal account linked LINE by sending its one-time code to the bot."""
    product = stocked_product(name_th="ผ้าไหมมัดหมี่", price="1500.00", quantity=0)
    producer = product.producer
    producer.user = make_user("producer")
    producer.save(update_fields=["user"])
    user_id = new_user_id()
    code = services.issue_link_code(user=producer.user)
    post_events([text_event(line, user_id, f"{code.code[:3]} {code.code[3:]}")])
    assert ChatContact.objects.get(external_id=user_id).user == producer.user
    return producer, product, user_id


def sell_at_the_till(product, quantity: int, make_user) -> None:
    cashier = make_user("cashier")
    register = RegisterFactory()
    variant = product.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.SHOP), quantity=quantity, actor=None)
    shift = pos_selectors.open_shift_of(register) or pos.open_shift(
        register=register, actor=cashier, starting_cash=Decimal("0.00")
    )
    numbers = pos.reserve_number_block(register=register, device_id=f"test-{uuid.uuid4()}", actor=cashier, size=5)
    total = variant.price * quantity
    with committed():
        pos.record_sale(
            register=register,
            actor=cashier,
            data=pos.SaleInput(
                device_sale_id=uuid.uuid4(),
                shift_id=shift.pk,
                receipt_number=numbers.blocks[-1].first_number,
                lines=[pos.LineInput(variant_id=variant.pk, quantity=quantity, unit_price=variant.price)],
                payments=[pos.PaymentInput(method="cash", amount=total, tendered=total)],
            ),
        )


def test_a_linked_producer_hears_when_their_product_sells_at_the_till(fake_line, make_user):
    producer, product, user_id = linked_producer(fake_line, make_user)
    assert "เชื่อม LINE" in fake_line.delivered_to(user_id)[-1].messages[0]["text"]

    sell_at_the_till(product, 2, make_user)
    with committed():
        assert push_sales_digests() == 1

    [push] = [d for d in fake_line.delivered_to(user_id) if d.via == "push"]
    text = push.messages[0]["text"]
    assert "ขายสินค้าได้ 2 ชิ้น" in text and "ผ้าไหมมัดหมี่ × 2" in text and "฿3,000.00" in text
    # Told once: the next batch has nothing new.
    with committed():
        assert push_sales_digests() == 0
    assert len([d for d in fake_line.delivered_to(user_id) if d.via == "push"]) == 1


def test_a_producer_who_switched_sales_off_is_not_told_then_or_later(fake_line, make_user):
    producer, product, user_id = linked_producer(fake_line, make_user)
    services.set_push_preferences(user=producer.user, enabled=set(PushKind.values) - {PushKind.SALES})

    sell_at_the_till(product, 1, make_user)
    with committed():
        assert push_sales_digests() == 0
    services.set_push_preferences(user=producer.user, enabled=set(PushKind.values))
    with committed():
        assert push_sales_digests() == 0
    assert [d for d in fake_line.delivered_to(user_id) if d.via == "push"] == []


def test_producers_notify_and_low_stock_reach_a_linked_producer_on_line(fake_line, make_user):
    producer, product, user_id = linked_producer(fake_line, make_user)

    with committed():
        queued = notify.producer(producer=producer, event="bank_account_confirmed", context={"account": "กสิกรไทย"})
    assert "line" in [message.channel for message in queued]
    with committed():
        inventory.receive_stock(
            variant=product.variants.get(), location=stock.location(Location.Code.SHOP), quantity=1, actor=None
        )
        set_threshold(variant=product.variants.get(), minimum=3)

    pushes = [d.messages[0]["text"] for d in fake_line.delivered_to(user_id) if d.via == "push"]
    assert len(pushes) == 2
    assert "ผ้าไหมมัดหมี่" in pushes[1]
    assert OutboundMessage.objects.filter(channel="line", status="sent").count() == 3  # the link answer too


def test_a_wrong_or_used_link_code_links_nothing(fake_line, make_user):
    user = make_user("producer")
    code = services.issue_link_code(user=user, now=timezone.now() - timedelta(minutes=20))
    post_events([text_event(fake_line, new_user_id(), code.code)])
    assert not ChatContact.objects.filter(user=user).exists()
    fresh = services.issue_link_code(user=user)
    first, second = new_user_id(), new_user_id()
    post_events([text_event(fake_line, first, fresh.code)])
    post_events([text_event(fake_line, second, fresh.code)])
    assert list(ChatContact.objects.filter(user=user).values_list("external_id", flat=True)) == [first]
    assert "ไม่ถูกต้องหรือหมดอายุ" in fake_line.delivered_to(second)[0].messages[0]["text"]


def test_the_portal_page_gives_a_code_and_saves_what_to_send(fake_line, make_user):
    producer = stocked_product(name_th="ผ้าไหม", quantity=0).producer
    producer.user = make_user("producer")
    producer.save(update_fields=["user"])
    client = Client()
    client.force_login(producer.user)

    assert client.post("/portal/line/code/").status_code == 302
    page = client.get("/portal/line/")
    code = producer.user.chat_link_codes.get().code
    assert page.status_code == 200 and code in page.content.decode()
    assert "LINE" in client.get("/portal/").content.decode()
    client.post("/portal/line/preferences/", {"kinds": ["low_stock", "statements"]})
    assert push_kinds_enabled(producer.user) == {
        "sales": False,
        "low_stock": True,
        "statements": True,
        "decisions": False,
        "certifications": False,
    }


def test_staff_answer_a_waiting_chat_on_line_and_mark_it_done(fake_line, make_user):
    user_id = new_user_id()
    post_events([text_event(fake_line, user_id, "ติดต่อเจ้าหน้าที่")])
    post_events([text_event(fake_line, user_id, "อยากสั่งผ้าไหม 20 ผืน ส่งต่างประเทศได้ไหม")])
    conversation = Conversation.objects.get()
    assert conversation.messages.count() == 2
    staff = Client()
    staff.force_login(make_user("staff"))

    assert "อยากสั่งผ้าไหม" in staff.get(f"/backoffice/line/{conversation.pk}/").content.decode()
    with committed():
        response = staff.post(f"/backoffice/line/{conversation.pk}/reply/", {"text": "ส่งได้ค่ะ ค่าส่งตามน้ำหนัก"})
    assert response.status_code == 302
    [push] = [d for d in fake_line.delivered_to(user_id) if d.via == "push"]
    assert push.messages == [{"type": "text", "text": "ส่งได้ค่ะ ค่าส่งตามน้ำหนัก"}]

    assert staff.post(f"/backoffice/line/{conversation.pk}/done/").status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.DONE
    # A refused answer (done already) sends nothing.
    staff.post(f"/backoffice/line/{conversation.pk}/reply/", {"text": "อีกครั้ง"})
    assert len([d for d in fake_line.delivered_to(user_id) if d.via == "push"]) == 1
    assert "ไม่มีลูกค้ารออยู่" in staff.get("/backoffice/line/").content.decode()


def test_a_photo_is_fetched_from_the_data_api_cleaned_and_shown_to_staff_only(fake_line, make_user):
    user_id = new_user_id()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    fake_line.add_content("msg-photo-1", buffer.getvalue(), "image/png")
    token = fake_line.issue_reply_token(user_id)

    post_events([event("message", user_id, reply_token=token, message={"type": "image", "id": "msg-photo-1"})])

    [fetch] = [request for request in fake_line.requests if request.host == "data"]
    assert fetch.path == "/v2/bot/message/msg-photo-1/content"
    message = Conversation.objects.get().messages.get()
    path = f"/backoffice/line/{message.conversation_id}/photos/{message.pk}/"
    staff = Client()
    staff.force_login(make_user("staff"))
    answer = staff.get(path)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).format == "JPEG"
    customer = Client()
    customer.force_login(make_user("customer"))
    assert customer.get(path).status_code == 403


def test_an_account_erased_for_pdpa_loses_its_chats(fake_line, make_user):
    producer, _product, user_id = linked_producer(fake_line, make_user)
    handler = next(handler for handler in personal_data_handlers() if handler.app == "channels")
    assert handler.export(producer.user)["chats"][0]["user_id"] == user_id
    handler.erase(producer.user)
    assert not ChatContact.objects.filter(user=producer.user).exists()
    assert isinstance(User.objects.get(pk=producer.user.pk), User)


def test_each_kind_of_news_is_switched_off_on_line_alone(fake_line, make_user):
    producer, _product, user_id = linked_producer(fake_line, make_user)
    producer.email = "weaver@example.com"
    producer.save(update_fields=["email"])
    services.set_push_preferences(user=producer.user, enabled=set(PushKind.values) - {PushKind.DECISIONS})

    with committed():
        decision = notify.producer(producer=producer, event="application_approved", context={"product_name": "ผ้าไหม"})
        expiring = notify.producer(
            producer=producer, event="certification_expiring", context={"certification": "มผช. 123/2566"}
        )

    assert [message.channel for message in decision] == ["email"]  # the decision still comes by e-mail
    assert sorted(message.channel for message in expiring) == ["email", "line"]
    [push] = [d for d in fake_line.delivered_to(user_id) if d.via == "push"]
    assert "มผช. 123/2566" in push.messages[0]["text"]


def test_a_gift_basket_sold_at_the_till_tells_the_producer_of_its_component(fake_line, make_user):
    producer, silk, user_id = linked_producer(fake_line, make_user)
    tea = stocked_product(name_th="ชาใบหม่อน", price="100.00", quantity=0)
    basket = VariantFactory(product=ProductFactory(is_basket=True, name_th="ชุดของขวัญ"), price=Decimal("1700.00"))
    BasketComponent.objects.create(basket=basket.product, variant=silk.variants.get(), quantity=1)
    BasketComponent.objects.create(basket=basket.product, variant=tea.variants.get(), quantity=2)

    sell_at_the_till(basket.product, 1, make_user)
    with committed():
        assert push_sales_digests() == 1  # only the silk's producer is linked

    [push] = [d for d in fake_line.delivered_to(user_id) if d.via == "push"]
    text = push.messages[0]["text"]
    # The basket's price shared by list price: the silk's part is 1,500 of 1,700.
    assert "ผ้าไหมมัดหมี่ × 1" in text and "฿1,500.00" in text
    assert "ชาใบหม่อน" not in text and tea.producer != producer
