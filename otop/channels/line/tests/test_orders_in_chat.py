"""Buying in LINE: postbacks fill the chat's cart, a one-time link checks it out through place_order,
the PromptPay QR of the exact total comes back as an image, and order updates are pushed once."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.core import signing
from django.test import Client
from django.utils import timezone
from PIL import Image

from otop.channels import services
from otop.channels.line.tests.helpers import committed, new_user_id, post_events, postback_event, stocked_product
from otop.channels.line.tests.helpers import text_event as text
from otop.channels.models import ChatCartLine, ChatContact, CheckoutLink
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.notifications.models import OutboundMessage
from otop.notifications.services import MAX_ATTEMPTS, send_due_messages
from otop.orders import services as order_services
from otop.orders.models import Coupon, Order
from otop.payments.services import promptpay_qr
from otop.shipping.models import Carrier, RateBand, Service
from otop.tax.models import TaxDocument

pytestmark = pytest.mark.django_db


def add(line, user_id, product):
    return post_events([postback_event(line, user_id, f"action=add&variant={product.variants.get().pk}")])


def checkout_path(line, user_id) -> str:
    """Ask for the cart in the chat and return the path of the checkout button's one-time link."""
    post_events([text(line, user_id, "ตะกร้า")])
    cart = line.calls("/v2/bot/message/reply")[-1].json["messages"][0]
    uri = cart["contents"]["footer"]["contents"][0]["action"]["uri"]
    assert uri.startswith("https://otop.example/chat/checkout/")
    return urlsplit(uri).path


PICKUP = {"name": "สมศรี ใจดี", "phone": "081-222-3333", "email": "", "delivery_method": "pickup"}


def buy_two(line, promptpay) -> tuple[str, list, Order]:
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="1500.00", quantity=3)
    tea = stocked_product(name_th="ชาใบหม่อน", price="120.50", quantity=10)
    user_id = new_user_id()
    add(line, user_id, silk)
    add(line, user_id, tea)
    add(line, user_id, tea)
    path = checkout_path(line, user_id)
    with committed():
        response = Client().post(path, PICKUP)
    assert response.status_code == 302
    return user_id, [silk, tea], Order.objects.get()


def test_adding_two_products_and_checking_out_places_a_line_order_and_sends_its_promptpay_image(fake_line, promptpay):
    user_id, (silk, tea), order = buy_two(fake_line, promptpay)

    assert order.channel == Order.Channel.LINE
    assert [(line.sku, line.quantity) for line in order.lines.order_by("id")] == [(silk.sku, 1), (tea.sku, 2)]
    assert str(order.total) == "1741.00"
    assert order.phone == "0812223333"
    assert stock.available_quantities(variant_ids=[silk.variants.get().pk]) == {silk.variants.get().pk: 2}
    assert CheckoutLink.objects.get().order == order
    assert not ChatCartLine.objects.exists()

    [push] = fake_line.calls("/v2/bot/message/push")
    assert push.json["to"] == user_id and push.headers["x-line-retry-key"]
    summary, image = push.json["messages"]
    assert order.number in summary["text"] and "฿1,741.00" in summary["text"]
    assert image["type"] == "image" and image["originalContentUrl"].startswith("https://otop.example/payments/qr/")
    # The image LINE fetches is a QR asking for exactly the order's total.
    png = Client().get(urlsplit(image["originalContentUrl"]).path)
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert decoded.text == promptpay_qr(order.total).payload

    # The page the link opens now shows the order placed, with its QR.
    cart = fake_line.calls("/v2/bot/message/reply")[-1].json["messages"][0]
    page = Client().get(urlsplit(cart["contents"]["footer"]["contents"][0]["action"]["uri"]).path)
    assert page.status_code == 200
    assert order.number in page.content.decode()


def test_the_cart_caps_quantities_by_stock_as_the_site_does(fake_line):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", quantity=2)
    user_id = new_user_id()
    for _ in range(3):
        add(fake_line, user_id, silk)

    answers = [call.json["messages"][0]["text"] for call in fake_line.calls("/v2/bot/message/reply")]
    assert "มีเพียง 2 ชิ้น" in answers[-1]
    assert ChatCartLine.objects.get().quantity == 2


def test_a_used_link_places_no_second_order(fake_line, promptpay):
    buy_two(fake_line, promptpay)
    link = CheckoutLink.objects.get()
    token = signing.TimestampSigner(salt=services.CHECKOUT_SALT).sign(link.nonce)
    response = Client().post(f"/chat/checkout/{token}/", PICKUP)

    assert response.status_code == 200  # the placed order's page, not a second order
    assert Order.objects.count() == 1


def test_forged_and_expired_links_are_refused(fake_line, promptpay):
    stocked_product(name_th="ผ้าไหมมัดหมี่")
    contact = services.contact_for(platform="line", external_id=new_user_id())
    old = services.issue_checkout_link(contact=contact, now=timezone.now() - timedelta(hours=3))

    assert Client().get(f"/chat/checkout/{old}/").status_code == 410
    assert Client().get("/chat/checkout/made-up:token:sig/").status_code == 410
    assert Client().post(f"/chat/checkout/{old}/", PICKUP).status_code == 410
    assert not Order.objects.exists()


def test_the_liff_endpoint_finds_the_token_in_liff_state(fake_line):
    response = Client().get("/chat/checkout/", {"liff.state": "?t=abc:def:ghi"})
    assert response.status_code == 302 and response["Location"] == "/chat/checkout/abc:def:ghi/"
    assert Client().get("/chat/checkout/").status_code == 400


def test_with_a_liff_id_the_checkout_button_opens_inside_line(fake_line, settings):
    settings.LINE_LIFF_ID = "1656449211-9Kym0GQ7"
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่")
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    post_events([text(fake_line, user_id, "cart")])
    cart = fake_line.calls("/v2/bot/message/reply")[-1].json["messages"][0]
    uri = cart["contents"]["footer"]["contents"][0]["action"]["uri"]
    assert uri.startswith("https://liff.line.me/1656449211-9Kym0GQ7?t=")
    token = parse_qs(urlsplit(uri).query)["t"][0]
    assert Client().get(f"/chat/checkout/{token}/").status_code == 200


def test_a_checkout_refused_for_bad_details_changes_nothing(fake_line, promptpay):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", quantity=1)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)

    response = Client().post(path, {**PICKUP, "phone": "12"})

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Order.objects.exists()
    assert CheckoutLink.objects.get().used_at is None
    assert ChatCartLine.objects.get().quantity == 1
    assert fake_line.calls("/v2/bot/message/push") == []


def confirm(order: Order) -> None:
    with committed():
        order_services.confirm_promptpay_payment(order=order, actor=None)


def paid_pushes(line, user_id) -> list:
    return [d for d in line.delivered_to(user_id) if d.via == "push" and "ได้รับชำระเงินแล้ว" in d.messages[0]["text"]]


def test_confirming_the_payment_pushes_paid_once_even_when_the_push_is_retried(fake_line, promptpay):
    user_id, _products, order = buy_two(fake_line, promptpay)
    # LINE takes the push but its answer is lost (a 500): the worker must try again, with the same key.
    fake_line.answer_next("/v2/bot/message/push", 500, accept=True)

    confirm(order)

    message = OutboundMessage.objects.get(event="line/order_paid")
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.attempts == 1 and "500" in message.error
    assert send_due_messages(now=timezone.now() + timedelta(minutes=1)) == 1

    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 2
    pushes = [
        call for call in fake_line.calls("/v2/bot/message/push") if "ได้รับชำระเงินแล้ว" in call.json["messages"][0]["text"]
    ]
    assert len(pushes) == 2
    assert (
        pushes[0].headers["x-line-retry-key"] == pushes[1].headers["x-line-retry-key"] == str(message.idempotency_key)
    )
    assert len(paid_pushes(fake_line, user_id)) == 1


def test_a_rate_limited_push_waits_and_is_given_up_after_the_last_attempt(fake_line, promptpay):
    user_id, _products, order = buy_two(fake_line, promptpay)
    fake_line.answer_next("/v2/bot/message/push", 429, times=MAX_ATTEMPTS, retry_after=120)

    confirm(order)

    message = OutboundMessage.objects.get(event="line/order_paid")
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=110)  # LINE's Retry-After is kept
    assert send_due_messages(now=timezone.now() + timedelta(seconds=30)) == 0  # not due yet
    later = timezone.now()
    for _attempt in range(MAX_ATTEMPTS - 1):
        later += timedelta(hours=1)
        send_due_messages(now=later)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == MAX_ATTEMPTS and "429" in message.error
    assert paid_pushes(fake_line, user_id) == []
    assert send_due_messages(now=later + timedelta(days=1)) == 0  # bounded: never tried again


def test_order_updates_reach_the_buyer_with_the_tracking_note_and_stop_after_unfollow(fake_line, promptpay):
    user_id, _products, order = buy_two(fake_line, promptpay)
    confirm(order)
    with committed():
        order_services.change_status(order=order, to_status=Order.Status.PACKED)
    order.refresh_from_db()
    with committed():
        order_services.change_status(order=order, to_status=Order.Status.READY_FOR_PICKUP, note="ช่อง 3")

    texts = [d.messages[0]["text"] for d in fake_line.delivered_to(user_id) if d.via == "push"][1:]
    assert len(texts) == 3
    assert "แพ็กสินค้าของคุณเรียบร้อยแล้ว" in texts[1]
    assert "พร้อมให้รับที่ศูนย์" in texts[2] and "ช่อง 3" in texts[2]

    post_events([{**postback_event(fake_line, user_id, "x"), "type": "unfollow"}])
    assert not ChatContact.objects.get(external_id=user_id).is_following
    order.refresh_from_db()
    with committed():
        order_services.change_status(order=order, to_status=Order.Status.REFUNDED)
    assert len([d for d in fake_line.delivered_to(user_id) if d.via == "push"]) == 4
    assert not OutboundMessage.objects.filter(event="line/order_refunded").exists()


def test_my_orders_lists_the_chats_orders_and_can_send_the_qr_again(fake_line, promptpay):
    user_id, _products, order = buy_two(fake_line, promptpay)

    post_events([text(fake_line, user_id, "สถานะคำสั่งซื้อ")])
    listing = fake_line.calls("/v2/bot/message/reply")[-1].json["messages"][0]
    assert order.number in str(listing["contents"])
    post_events([postback_event(fake_line, user_id, f"action=qr&order={order.number}")])
    again = fake_line.calls("/v2/bot/message/reply")[-1].json["messages"]
    assert again[1]["type"] == "image"


def test_an_expired_reply_token_is_answered_by_a_push(fake_line):
    stocked_product(name_th="ผ้าไหมมัดหมี่")
    user_id = new_user_id()
    event = text(fake_line, user_id, "ผ้าไหม")
    fake_line.expire_reply_token(event["replyToken"])

    post_events([event])

    [delivery] = fake_line.delivered_to(user_id)
    assert delivery.via == "push" and delivery.messages[0]["type"] == "flex"
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.SENT


def pushed_texts(line, user_id) -> list[str]:
    return [d.messages[0].get("text", "") for d in line.delivered_to(user_id) if d.via == "push"]


def test_shipped_is_pushed_with_its_tracking_number_under_its_own_retry_key(fake_line, promptpay):
    user_id, _products, order = buy_two(fake_line, promptpay)
    confirm(order)
    for status, note in ((Order.Status.PACKED, ""), (Order.Status.SHIPPED, "TH0123456789A")):
        order.refresh_from_db()
        with committed():
            order_services.change_status(order=order, to_status=status, note=note)

    shipped = pushed_texts(fake_line, user_id)[-1]
    assert order.number in shipped
    assert "จัดส่งสินค้าของคุณแล้ว" in shipped and "เลขพัสดุ: TH0123456789A" in shipped
    keys = [call.headers["x-line-retry-key"] for call in fake_line.calls("/v2/bot/message/push")]
    assert len(keys) == 4 and len(set(keys)) == 4  # placed, paid, packed, shipped: one key each
    message = OutboundMessage.objects.get(event="line/order_shipped")
    assert message.status == OutboundMessage.Status.SENT and message.recipient == user_id


def test_a_cancelled_order_is_pushed_and_its_units_are_for_sale_again(fake_line, promptpay):
    user_id, (silk, _tea), order = buy_two(fake_line, promptpay)
    silk_variant = silk.variants.get().pk
    assert stock.available_quantities(variant_ids=[silk_variant]) == {silk_variant: 2}

    with committed():
        order_services.change_status(order=order, to_status=Order.Status.CANCELLED, note="ลูกค้าขอยกเลิก")

    cancelled = pushed_texts(fake_line, user_id)[-1]
    assert "คำสั่งซื้อของคุณถูกยกเลิก" in cancelled and "ลูกค้าขอยกเลิก" in cancelled
    assert stock.available_quantities(variant_ids=[silk_variant]) == {silk_variant: 3}
    assert OutboundMessage.objects.filter(event="line/order_cancelled").count() == 1


def test_an_order_placed_on_the_website_is_never_pushed_to_a_chat(fake_line, promptpay):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", quantity=3)
    with committed():
        order = order_services.place_order(
            items=[(silk.sku, 1)],
            customer=order_services.CustomerDetails(name="สมศรี ใจดี", phone="0812223333"),
            delivery_method="pickup",
            address=None,
        )
    confirm(order)

    assert order.channel == Order.Channel.WEB
    assert fake_line.calls("/v2/bot/message/push") == []
    assert not OutboundMessage.objects.filter(channel=OutboundMessage.Channel.LINE).exists()


def cart_bubble(line, user_id) -> dict:
    post_events([text(line, user_id, "ตะกร้า")])
    return line.calls("/v2/bot/message/reply")[-1].json["messages"][0]


def test_remove_and_clear_postbacks_empty_the_cart_and_the_cart_shows_it(fake_line):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", quantity=3)
    tea = stocked_product(name_th="ชาใบหม่อน", quantity=3)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    add(fake_line, user_id, tea)

    post_events([postback_event(fake_line, user_id, f"action=remove&variant={silk.variants.get().pk}")])
    after_remove = fake_line.calls("/v2/bot/message/reply")[-1].json["messages"][0]
    assert list(ChatCartLine.objects.values_list("variant_id", flat=True)) == [tea.variants.get().pk]
    assert "ชาใบหม่อน" in str(after_remove["contents"]) and "ผ้าไหมมัดหมี่" not in str(after_remove["contents"])

    post_events([postback_event(fake_line, user_id, "action=clear")])
    assert not ChatCartLine.objects.exists()
    assert fake_line.calls("/v2/bot/message/reply")[-1].json["messages"][0]["text"] == "ล้างตะกร้าแล้ว"
    links = CheckoutLink.objects.count()  # one, from the cart shown after the removal
    empty = cart_bubble(fake_line, user_id)
    assert empty["type"] == "text" and "uri" not in str(empty)
    assert CheckoutLink.objects.count() == links == 1  # nothing to check out: no new link


def test_stock_sold_elsewhere_caps_the_chat_cart_and_the_order_takes_what_is_left(fake_line, promptpay):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="1500.00", quantity=3)
    user_id = new_user_id()
    for _ in range(3):
        add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)
    # Two of the three units leave the online shelf (sold at the counter, say) before the buyer pays.
    inventory.remove_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=2, actor=None
    )

    page = Client().get(path)
    [item] = page.context["cart"].items
    assert (item.wanted, item.quantity, item.is_capped) == (3, 1, True)
    assert page.status_code == 200
    with committed():
        assert Client().post(path, PICKUP).status_code == 302

    order = Order.objects.get()
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [(silk.sku, 1)]
    assert str(order.total) == "1500.00"


def test_a_checkout_of_a_cart_sold_out_meanwhile_is_refused_and_changes_nothing(fake_line, promptpay):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", quantity=1)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)
    inventory.remove_stock(
        variant=silk.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=1, actor=None
    )

    with committed():
        response = Client().post(path, PICKUP)

    assert response.status_code == 200
    assert "สินค้าในตะกร้าหมดแล้ว" in " ".join(response.context["form"].non_field_errors())
    assert not Order.objects.exists()
    assert CheckoutLink.objects.get().used_at is None
    assert ChatCartLine.objects.get().quantity == 1  # kept: it is there again if the shelf is refilled
    assert fake_line.calls("/v2/bot/message/push") == []


def test_a_coupon_at_the_chat_checkout_takes_its_discount_off_the_line_order(fake_line, promptpay):
    now = timezone.now()
    Coupon.objects.create(
        code="LINE50", kind="fixed", value=Decimal("50"), starts_at=now - timedelta(hours=1), ends_at=now + timedelta(1)
    )
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="350.00", quantity=1)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)

    refused = Client().post(path, {**PICKUP, "coupon": "NOPE"})
    assert "coupon" in refused.context["form"].errors and not Order.objects.exists()

    Client().post(path, {**PICKUP, "coupon": "line50"})
    order = Order.objects.get()
    assert (order.channel, order.discount, order.total) == ("line", Decimal("50.00"), Decimal("300.00"))


COMPANY_FIELDS = {
    "tax_invoice-name": "บริษัท ตะกร้าของขวัญ จำกัด",
    "tax_invoice-address": "99 ถนนมิตรภาพ ขอนแก่น 40000",
    "tax_invoice-tax_id": "0-1055-51234-56-7",
    "tax_invoice-branch_kind": "branch",
    "tax_invoice-branch_number": "00002",
}


def test_a_full_tax_invoice_asked_at_the_chat_checkout_is_checked_and_issued_when_paid(fake_line, promptpay):
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="535.00", quantity=1)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)
    assert 'id="tax-invoice"' in Client().get(path).content.decode()

    refused = Client().post(path, {**PICKUP, **COMPANY_FIELDS, "tax_invoice-tax_id": "0105551234568"})
    assert refused.status_code == 200
    assert "หลักตรวจสอบ" in str(refused.context["tax_form"].errors["tax_id"])
    assert not Order.objects.exists() and CheckoutLink.objects.get().used_at is None
    assert ChatCartLine.objects.get().quantity == 1

    Client().post(path, {**PICKUP, **COMPANY_FIELDS})
    order = Order.objects.get()
    assert order.channel == "line"
    confirm(order)
    invoice = TaxDocument.objects.get(source_id=str(order.pk), status="issued")
    assert (invoice.kind, invoice.buyer_tax_id, invoice.buyer_branch_label) == ("full", "0105551234567", "สาขาที่ 00002")
    assert invoice.total == Decimal("535.00") and invoice.vat == Decimal("35.00")


ADDRESS = {"line1": "99 ถนนมิตรภาพ", "province": "40", "district": "4001", "subdistrict": "400101", "postcode": "40000"}


def test_cash_on_delivery_at_the_chat_checkout_adds_the_fee_sends_no_qr_and_says_to_pay_the_courier(
    fake_line, promptpay
):
    van = Carrier.objects.create(
        code="van", kind=Carrier.Kind.TABLE, name_th="รถตู้ส่งของ", name_en="Local van", is_enabled=True,
        offers_cod=True, cod_fee=Decimal("20.00"),
    )  # fmt: skip
    service = Service.objects.create(carrier=van, code="sameday", name_th="ส่งวันนี้", name_en="Same day")
    RateBand.objects.create(service=service, up_to_grams=5000, fee=Decimal("45.00"))
    silk = stocked_product(name_th="ผ้าไหมมัดหมี่", price="350.00", quantity=2, weight_grams=400)
    user_id = new_user_id()
    add(fake_line, user_id, silk)
    path = checkout_path(fake_line, user_id)

    # The page offers COD for the van (not for Thailand Post), and its payment line follows the choice.
    address = Client().get(path + "address/", {**ADDRESS, "delivery_option": "van:sameday", "payment": "cod"})
    html = address.content.decode()
    assert 'id="payment-cod" checked' in html and "฿20.00" in html
    assert 'data-payment="cod" hx-swap-oob="true"' in html and "เก็บเงินปลายทาง" in html
    again = Client().get(path + "address/", {**ADDRESS, "delivery_option": "van:sameday", "payment": "promptpay"})
    assert 'data-payment="promptpay" hx-swap-oob="true"' in again.content.decode()

    # The same limits as the website: not for pickup, not with a carrier that does not collect cash.
    Carrier.objects.filter(code="thailandpost").update(offers_cod=False)
    parcel = {**PICKUP, **ADDRESS, "delivery_method": "parcel"}
    for refused in (
        {**PICKUP, "payment": "cod"},
        {**parcel, "delivery_option": "thailandpost:ems", "payment": "cod"},
    ):
        with committed():
            response = Client().post(path, refused)
        assert response.status_code == 200 and "payment" in response.context["form"].errors
    assert not Order.objects.exists() and not fake_line.calls("/v2/bot/message/push")
    assert CheckoutLink.objects.get().used_at is None

    with committed():
        response = Client().post(path, {**parcel, "delivery_option": "van:sameday", "payment": "cod"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.cash_on_delivery and order.expires_at is None and order.status == Order.Status.PENDING_PAYMENT
    assert (order.delivery_fee, order.total) == (Decimal("65.00"), Decimal("415.00"))  # 45 + 20 COD fee
    assert order.shipment.cod_amount == Decimal("415.00")
    assert stock.available_quantities(variant_ids=[silk.variants.get().pk]) == {silk.variants.get().pk: 1}

    [push] = fake_line.calls("/v2/bot/message/push")
    assert [message["type"] for message in push.json["messages"]] == ["text"]  # no PromptPay QR image
    words = push.json["messages"][0]["text"]
    assert "เก็บเงินปลายทาง" in words and "฿415.00" in words and "พนักงานส่ง" in words and "พร้อมเพย์" not in words

    placed = Client().get(path).content.decode()
    assert "cod-note" in placed and "฿415.00" in placed and "/payments/qr/" not in placed
