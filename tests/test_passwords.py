"""Passwords: the lockout counts a phone number however it is typed; people reset by e-mail or with a
link staff hand over (staff never see a password); signed-in people change theirs."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from otop.core.models import AuditEvent
from otop.notifications.models import OutboundMessage
from otop.producers import services as producer_services
from otop.producers.tests.factories import ProducerFactory


def sign_in(client, username, password, address="10.0.0.9"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_reformatting_a_phone_number_does_not_dodge_the_lockout(make_user, settings):
    make_user("producer", username="weavers", phone="0812345678")
    client = Client()
    spellings = ["0812345678", "081-234-5678", "0-8-1-2-3-4-5-6-7-8", "+66812345678", "081 234 5678"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, spelling, "wrong-password")
    locked = sign_in(client, "08 1234 5678", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_links_to_the_forgotten_password_page(db, client):
    page = client.get("/accounts/login/")
    assert 'href="/accounts/password/forgot/"' in page.content.decode()
    assert client.get("/accounts/password/forgot/").status_code == 200


def test_a_reset_link_by_e_mail_sets_a_new_password_once(make_user, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_user("customer", username="malee", email="malee@example.com")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/password/forgot/", {"email": "MALEE@example.com"})
    assert sent.status_code == 302
    assert OutboundMessage.objects.filter(event="accounts/password_reset", recipient="malee@example.com").exists()
    link = re.search(r"http://testserver(/accounts/password/set/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "ผ้าไหม-ขอนแก่น-2570", "new_password2": "ผ้าไหม-ขอนแก่น-2570"}
    )
    assert done.status_code == 302
    assert sign_in(Client(), "malee", "ผ้าไหม-ขอนแก่น-2570").status_code == 302
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_message(db, client):
    response = client.post("/accounts/password/forgot/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert not OutboundMessage.objects.exists()


def test_asking_for_reset_links_is_throttled_per_client(db, client):
    answers = [client.post("/accounts/password/forgot/", {"email": f"x{n}@example.com"}).status_code for n in range(6)]
    assert answers == [302] * 5 + [429]


def test_staff_give_a_producer_a_link_and_never_see_the_password(make_user):
    producer = ProducerFactory(contact_name="สมศรี")
    staff = Client()
    staff.force_login(make_user("staff"))
    page = staff.post(f"/backoffice/producers/{producer.pk}/portal-account/", {"phone": "089 555 1234"})
    assert page.status_code == 200
    link = page.context["link"]
    assert "/accounts/password/set/" in link and "<svg" in page.context["qr"]
    producer.refresh_from_db()
    assert not producer.user.has_usable_password()
    # The producer opens the link on their own phone and chooses the password.
    phone = Client()
    form_page = phone.get(link.replace("http://testserver", ""), follow=True)
    phone.post(form_page.redirect_chain[-1][0], {"new_password1": "ทอผ้า-บ้านโนน-9", "new_password2": "ทอผ้า-บ้านโนน-9"})
    assert sign_in(Client(), "089-555-1234", "ทอผ้า-บ้านโนน-9").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password_link_issued").count() == 1
    # A later link (forgotten password) leaves the current password working until a new one is saved.
    again = staff.post(f"/backoffice/producers/{producer.pk}/portal-account/")
    assert again.status_code == 200 and again.context["link"] != link
    assert sign_in(Client(), "0895551234", "ทอผ้า-บ้านโนน-9", address="10.0.0.8").status_code == 302


def test_a_new_portal_account_cannot_sign_in_before_the_producer_sets_a_password(make_user):
    producer = ProducerFactory()
    user = producer_services.open_portal_account(actor=make_user("staff"), producer=producer, phone="0895551234")
    assert user.phone == "0895551234" and not user.has_usable_password()
    assert sign_in(Client(), "0895551234", "").status_code == 200


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_signed_in_person_changes_their_password(make_user, language):
    user = make_user("cashier", username="kasira")
    client = Client()
    client.force_login(user)
    prefix = "" if language == "th" else "/en"
    wrong = client.post(
        f"{prefix}/accounts/password/", {"old_password": "nope", "new_password1": "a", "new_password2": "a"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    done = client.post(f"{prefix}/accounts/password/", {"old_password": PASSWORD, "new_password1": "ชาใบหม่อน-ร้อน-77",
                                                         "new_password2": "ชาใบหม่อน-ร้อน-77"})  # fmt: skip
    assert done.status_code == 302
    assert sign_in(Client(), "kasira", "ชาใบหม่อน-ร้อน-77").status_code == 302
