"""PDPA: the notice, consent per purpose (and no marketing without it), a copy of one's data, erasure."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from otop.accounts import roles
from otop.channels import intents
from otop.channels import services as channels
from otop.channels.messenger.tests import test_messenger as messenger
from otop.channels.models import ChatContact, Platform
from otop.core import consent
from otop.core.errors import Conflict, DomainError
from otop.core.models import AuditEvent
from otop.notifications.channels import Recipient
from otop.notifications.models import OutboundMessage
from otop.notifications.services import notify_marketing
from otop.orders import services as orders
from otop.orders.models import Order
from otop.privacy import selectors, services
from otop.privacy.models import ConsentRecord, DataRequest, Notice
from otop.tax import services as tax
from otop.tax.models import DocumentKind, TaxDocument

pytestmark = pytest.mark.django_db


def _subjects(user) -> list[str]:
    return consent.subjects_for(user_id=user.pk, email=user.email)


def test_the_notice_is_public_in_both_languages_and_linked_from_every_footer(client):
    thai = client.get("/privacy/")
    assert thai.status_code == 200
    assert "ประกาศความเป็นส่วนตัว" in thai.text and "30 วัน" in thai.text
    english = client.get("/en/privacy/")
    assert "Privacy notice" in english.text and "within 30 days" in english.text
    assert 'href="/privacy/"' in client.get("/").text
    assert client.get("/privacy/?version=99").status_code == 404


def test_the_checkout_and_the_booking_form_show_the_notice_where_they_collect():
    from django.template.loader import render_to_string

    snippet = render_to_string("includes/privacy_at_collection.html")
    assert 'href="/privacy/"' in snippet
    for template in (
        "otop/storefront/templates/storefront/checkout.html",
        "otop/workspace/templates/workspace/space.html",
        "otop/selection/templates/selection/portal/apply.html",
    ):
        with open(template, encoding="utf-8") as source:
            assert "includes/privacy_at_collection.html" in source.read(), template


def test_no_marketing_without_a_live_consent_and_one_click_withdraws_it(make_user, settings):
    settings.SITE_URL = "https://shop.example"
    customer = make_user(roles.CUSTOMER, email="buyer@example.com")
    recipient = Recipient(user=customer, email=customer.email)

    assert notify_marketing(recipient=recipient, event="center_news", context={"title": "ข่าว", "text": "สินค้าใหม่"}) == []

    services.set_consents(user=customer, choices={consent.MARKETING_EMAIL: True})
    queued = notify_marketing(recipient=recipient, event="center_news", context={"title": "ข่าว", "text": "สินค้าใหม่"})
    assert [message.channel for message in queued] == [OutboundMessage.Channel.EMAIL]
    assert "https://shop.example/privacy/stop/" in queued[0].body

    # The stop link in the message withdraws the consent in one press.
    token = consent.stop_token(subjects=_subjects(customer), purpose=consent.MARKETING_EMAIL)
    page = Client().get(f"/privacy/stop/{token}/")
    assert page.status_code == 200 and selectors.live_consents(subjects=_subjects(customer))[consent.MARKETING_EMAIL]
    Client().post(f"/privacy/stop/{token}/")
    assert not selectors.live_consents(subjects=_subjects(customer))[consent.MARKETING_EMAIL]
    assert notify_marketing(recipient=recipient, event="center_news", context={"title": "ข่าว", "text": "สินค้าใหม่"}) == []
    assert Client().get("/privacy/stop/forged-token/").status_code == 404


def test_a_new_notice_that_asks_again_suspends_consents_until_confirmed(make_user, manager):
    customer = make_user(roles.CUSTOMER, email="buyer@example.com")
    services.set_consents(user=customer, choices={consent.MARKETING_EMAIL: True})
    assert consent.has_consent(subjects=_subjects(customer), purpose=consent.MARKETING_EMAIL)

    services.publish_notice(actor=manager, body_th="ฉบับใหม่", body_en="New", asks_consent_again=False)
    assert consent.has_consent(subjects=_subjects(customer), purpose=consent.MARKETING_EMAIL)
    services.publish_notice(actor=manager, body_th="ฉบับใหม่กว่า", body_en="Newer", asks_consent_again=True)
    assert not consent.has_consent(subjects=_subjects(customer), purpose=consent.MARKETING_EMAIL)

    client = Client()
    client.force_login(customer)
    assert "confirm your choices again" in client.get("/en/privacy/my/").text
    client.post("/privacy/my/", {consent.MARKETING_EMAIL: "on"})
    record = ConsentRecord.objects.filter(user=customer).first()
    assert record.granted and record.notice_version == Notice.objects.order_by("-version").first().version
    assert consent.has_consent(subjects=_subjects(customer), purpose=consent.MARKETING_EMAIL)


def test_a_notice_needs_both_languages_and_a_refusal_publishes_nothing(manager):
    before = Notice.objects.count()
    with pytest.raises(DomainError):
        services.publish_notice(actor=manager, body_th="  ", body_en="English only", asks_consent_again=False)
    assert Notice.objects.count() == before


def test_stop_in_line_withdraws_chat_marketing(make_user):
    assert intents.command_in("หยุด") == "stop" and intents.command_in("STOP") == "stop"
    customer = make_user(roles.CUSTOMER)
    contact = ChatContact.objects.create(platform=Platform.LINE, external_id="U" + "1" * 32, user=customer)
    line_subject = consent.chat_subject(Platform.LINE, contact.external_id)
    services.give_consent(subject=line_subject, purpose=consent.MARKETING_CHAT, channel="line")
    services.set_consents(user=customer, choices={consent.MARKETING_CHAT: True})
    subjects = consent.subjects_for(user_id=customer.pk, extra=[line_subject])
    assert consent.has_consent(subjects=subjects, purpose=consent.MARKETING_CHAT)

    assert channels.stop_marketing(contact=contact) == 2
    assert not consent.has_consent(subjects=subjects, purpose=consent.MARKETING_CHAT)
    assert channels.stop_marketing(contact=contact) == 0  # a second "หยุด" changes nothing


def _order_for(user) -> Order:
    return orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name="สมศรี ใจดี", phone="0812223333", email="somsri@example.com"),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="99 ถนนมิตรภาพ", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
        user=user,
    )


def test_a_customer_downloads_everything_then_has_it_erased_keeping_what_the_law_asks(shop, make_user, manager):
    customer = make_user(roles.CUSTOMER, email="somsri@example.com", first_name="สมศรี")
    order = _order_for(customer)
    services.set_consents(user=customer, choices={consent.MARKETING_EMAIL: True})
    client = Client()
    client.force_login(customer)

    download = client.get("/privacy/my/data.json")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    data = json.loads(download.content)
    assert data["account"]["email"] == "somsri@example.com"
    assert data["orders"]["orders"][0]["number"] == order.number
    assert data["orders"]["orders"][0]["address"][0] == "99 ถนนมิตรภาพ"
    assert data["consents"][0]["purpose"] == consent.MARKETING_EMAIL

    response = client.post("/privacy/my/request/", {"kind": "erasure", "details": ""})
    assert response.status_code == 302
    request = DataRequest.objects.get(user=customer)
    assert (request.due_at - request.requested_at).days == 30
    # A second erasure request while one waits is refused and changes nothing.
    assert client.post("/privacy/my/request/", {"kind": "erasure"}).status_code == 400
    assert DataRequest.objects.filter(user=customer).count() == 1

    staff = Client()
    staff.force_login(manager)
    assert request.reference in staff.get("/privacy/requests/").text
    staff.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": "on"})

    order.refresh_from_db()
    assert (order.customer_name, order.phone, order.email, order.address_line1) == ("-", "", "", "")
    assert order.total == shop["silk"].variants.get().price + order.delivery_fee  # the amounts stay
    customer.refresh_from_db()
    assert not customer.is_active and customer.email == "" and not customer.has_usable_password()
    assert ConsentRecord.objects.filter(subject="erased").count() == 1
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE and "Revenue Code" in request.outcome
    assert AuditEvent.objects.filter(action="privacy.erased", target_id=str(request.pk)).count() >= 2
    assert not customer.check_password("otop-demo-2569")

    # Done once: a second erasure is refused.
    with pytest.raises(Conflict):
        services.erase_person(request=request, actor=manager)


def test_a_correction_needs_details_and_staff_close_it_with_what_was_done(make_user, manager):
    customer = make_user(roles.CUSTOMER)
    with pytest.raises(DomainError):
        services.ask(user=customer, kind=DataRequest.Kind.CORRECTION, details=" ")
    assert not DataRequest.objects.exists()
    request = services.ask(user=customer, kind=DataRequest.Kind.CORRECTION, details="ชื่อสะกดผิด")
    staff = Client()
    staff.force_login(manager)
    assert staff.post(f"/privacy/requests/{request.pk}/", {"outcome": ""}).status_code == 200
    request.refresh_from_db()
    assert request.status == DataRequest.Status.OPEN
    staff.post(f"/privacy/requests/{request.pk}/", {"outcome": "แก้ชื่อแล้ว"})
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE and request.closed_by == manager


def test_staff_accounts_are_not_erased_through_a_request(make_user, manager):
    staff_user = make_user(roles.STAFF)
    request = services.ask(user=staff_user, kind=DataRequest.Kind.ERASURE)
    with pytest.raises(DomainError):
        services.erase_person(request=request, actor=manager)
    staff_user.refresh_from_db()
    assert staff_user.is_active


def test_downloads_are_throttled_per_account(make_user):
    customer = make_user(roles.CUSTOMER)
    client = Client()
    client.force_login(customer)
    answers = [client.get("/privacy/my/data.json").status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_marketing_messages_are_not_sent_to_anyone_who_never_answered(make_user):
    customer = make_user(roles.CUSTOMER, email="silent@example.com")
    recipient = Recipient(user=customer, email=customer.email)
    notify_marketing(recipient=recipient, event="center_news", context={"title": "t", "text": "x"})
    assert not OutboundMessage.objects.filter(recipient="silent@example.com").exists()
    assert mail.outbox == []


def test_stop_in_messenger_withdraws_chat_marketing_through_the_webhook(graph, make_user):
    customer = make_user(roles.CUSTOMER)
    ChatContact.objects.create(platform=Platform.MESSENGER, external_id="PSID-STOP", user=customer)
    subject = consent.chat_subject(Platform.MESSENGER, "PSID-STOP")
    services.give_consent(subject=subject, purpose=consent.MARKETING_CHAT, channel="messenger")
    services.set_consents(user=customer, choices={consent.MARKETING_CHAT: True})
    subjects = consent.subjects_for(user_id=customer.pk, extra=[subject])
    assert consent.has_consent(subjects=subjects, purpose=consent.MARKETING_CHAT)

    body = messenger.body_of("PSID-STOP", "หยุด")
    assert messenger.post(body, messenger.sign(body)).status_code == 200
    assert not consent.has_consent(subjects=subjects, purpose=consent.MARKETING_CHAT)
    withdrawn = ConsentRecord.objects.filter(subject=subject, purpose=consent.MARKETING_CHAT).latest("pk")
    assert (withdrawn.granted, withdrawn.channel) == (False, "messenger")
    assert "ข่าวสาร" in graph.sent_to("PSID-STOP")[-1]["text"]


def test_an_erasure_keeps_the_tax_invoice_with_the_buyers_tax_id_encrypted(shop, make_user, manager):
    tax_id = "0105551234567"
    customer = make_user(roles.CUSTOMER, email="buyer@example.com")
    order = orders.place_order(
        items=[("SILK-1", 1)], customer=orders.CustomerDetails(name="สมศรี ใจดี", phone="0812223333"),
        delivery_method="pickup", user=customer,
        tax_invoice=tax.Buyer(name="สมศรี ใจดี", address="ขอนแก่น", tax_id=tax_id),
    )  # fmt: skip
    orders.confirm_promptpay_payment(order=order, actor=manager)
    invoice = TaxDocument.objects.get(kind=DocumentKind.FULL, source_id=str(order.pk))

    client = Client()
    client.force_login(customer)
    data = json.loads(client.get("/privacy/my/data.json").content)
    assert data["orders"]["orders"][0]["tax_documents"][-1]["buyer_tax_id"] == tax_id  # their own, in full

    request = services.ask(user=customer, kind=DataRequest.Kind.ERASURE)
    services.erase_person(request=request, actor=manager)
    assert Order.objects.get(pk=order.pk).customer_name == "-"
    kept = TaxDocument.objects.get(pk=invoice.pk)
    assert (kept.buyer_name, kept.buyer_tax_id, kept.status) == ("สมศรี ใจดี", tax_id, "issued")  # Revenue Code
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tax_taxdocument WHERE id = %s", [invoice.pk])
        assert tax_id not in " ".join(str(value) for value in cursor.fetchone())
    assert "Revenue Code" in DataRequest.objects.get(pk=request.pk).outcome
