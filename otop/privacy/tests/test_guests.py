"""A guest without an account proves their e-mail with a one-time code, then downloads what we hold under it
(JSON and a Thai PDF) or asks for a correction or erasure, which staff answer within 30 days."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from otop.accounts import roles
from otop.core import consent
from otop.core.errors import TooManyTries
from otop.core.models import AuditEvent
from otop.core.personal_data import EMAIL, Contact, contact_handlers
from otop.notifications.models import OutboundMessage
from otop.orders import services as orders
from otop.orders.models import Order
from otop.privacy import guests
from otop.privacy.models import ConsentRecord, ContactCode, DataRequest
from otop.tax.tests.test_pdf import pdf_text, same_glyphs
from otop.workspace.models import Booking
from otop.workspace.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

GUEST = "somying@example.com"


def _order(*, email: str, user=None, name: str = "สมหญิง รักไทย") -> Order:
    return orders.place_order(
        items=[("SILK-1", 1)],
        customer=orders.CustomerDetails(name=name, phone="0815556666", email=email),
        delivery_method="parcel",
        address=orders.AddressDetails(
            line1="12 ถนนศรีจันทร์", subdistrict="400101", district="4001", province="40", postcode="40000"
        ),
        user=user,
    )


def _booking(*, email: str, phone: str = "0815556666") -> Booking:
    starts = timezone.now() + timedelta(days=3)
    return Booking.objects.create(
        space=SpaceFactory(), reference=f"B{Booking.objects.count() + 1:05d}", token=f"t{email}",
        starts_at=starts, ends_at=starts + timedelta(hours=2), occupied_until=starts + timedelta(hours=2),
        name="สมหญิง รักไทย", phone=phone, email=email, purpose="ประชุมกลุ่มทอผ้า",
        price_per_hour=Decimal("300.00"), amount_due=Decimal("600.00"),
    )  # fmt: skip


def _last_code(email: str) -> str:
    message = OutboundMessage.objects.filter(recipient=email, event="privacy/guest_code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _without_tokens(text: str) -> str:
    """The page without its per-response CSRF tokens and CSP nonces."""
    return re.sub(r"\b[A-Za-z0-9+/=_-]{22,64}\b", "", text)


def _prove(client: Client, email: str) -> None:
    assert client.post("/privacy/guest/", {"contact": email}).status_code == 200
    response = client.post("/privacy/guest/code/", {"code": _last_code(email)})
    assert response.status_code == 302 and response["Location"] == "/privacy/guest/data/"


def test_orders_and_bookings_know_guests_by_contact():
    assert {handler.app for handler in contact_handlers()} >= {"orders", "workspace"}


def test_a_guest_proves_their_email_and_downloads_json_and_a_thai_pdf(shop, make_user):
    guest_order = _order(email="SomYing@Example.com")
    booking = _booking(email=GUEST)
    account_holder = make_user(roles.CUSTOMER, email=GUEST)
    account_order = _order(email=GUEST, user=account_holder, name="ผู้มีบัญชี")
    client = Client()

    page = client.get("/privacy/guest/")
    assert page.status_code == 200 and "รหัสใช้ครั้งเดียว" in page.text and "SMS" in page.text
    sent = client.post("/privacy/guest/", {"contact": f"  {GUEST.upper()} "}, headers={"HX-Request": "true"})
    assert sent.status_code == 200 and "s•••@example.com" in sent.text
    row = ContactCode.objects.get()
    code = _last_code(GUEST)
    assert code not in row.code_digest and GUEST not in row.contact_digest  # stored as digests only
    assert row.expires_at - row.created_at == timedelta(minutes=10)

    checked = client.post("/privacy/guest/code/", {"code": f"{code[:3]} {code[3:]}"}, headers={"HX-Request": "true"})
    assert checked.status_code == 204 and checked["HX-Redirect"] == "/privacy/guest/data/"
    data_page = client.get("/privacy/guest/data/")
    assert data_page.status_code == 200 and "คำสั่งซื้อ 1 รายการ" in data_page.text

    download = client.get("/privacy/guest/data.json")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    data = json.loads(download.content)
    assert [row["number"] for row in data["orders"]["orders"]] == [guest_order.number]  # not the account's order
    assert data["workspace"]["bookings"][0]["reference"] == booking.reference
    assert data["contact"] == {"kind": "email", "value": GUEST}
    assert account_order.number not in download.text

    pdf = client.get("/privacy/guest/data.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    year = timezone.localdate().year
    assert guest_order.number in text and booking.reference in text
    assert "สมหญิงรักไทย" in text and "ข้อมูลส่วนบุคคลของคุณ" in text
    assert str(year + 543) in text and str(year) not in text.replace(str(year + 543), "")
    assert account_order.number not in text and "ผู้มีบัญชี" not in text

    english = client.get("/en/privacy/guest/data.pdf")
    assert "Yourpersonaldata" in pdf_text(english.content) and str(year) in pdf_text(english.content)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("privacy.guest_code_sent") == 1 and actions.count("privacy.guest_verified") == 1
    assert actions.count("privacy.guest_data_exported") == 3


def test_the_answer_is_the_same_whether_or_not_we_hold_anything_under_the_address(shop):
    _order(email="a@example.com")
    known = Client().post("/privacy/guest/", {"contact": "a@example.com"})
    unknown = Client().post("/privacy/guest/", {"contact": "b@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert _without_tokens(known.text).replace("a•••@", "") == _without_tokens(unknown.text).replace("b•••@", "")
    assert OutboundMessage.objects.filter(event="privacy/guest_code").count() == 2


def test_a_proved_address_shows_only_its_own_records_never_another_persons(shop):
    other = _order(email="other@example.com", name="คนอื่น")
    client = Client()
    _prove(client, "nobody@example.com")
    data = json.loads(client.get("/privacy/guest/data.json").content)
    assert data["orders"]["orders"] == [] and data["workspace"]["bookings"] == []
    # Asking a code for another address ends this access; without that code its data stays closed.
    client.post("/privacy/guest/", {"contact": "other@example.com"})
    assert client.get("/privacy/guest/data.json").status_code == 302
    guess = "000000" if _last_code("other@example.com") != "000000" else "111111"
    assert client.post("/privacy/guest/code/", {"code": guess}).status_code == 400
    assert client.get("/privacy/guest/data.json").status_code == 302
    assert other.number not in client.get("/privacy/guest/data/", follow=True).text


def test_five_wrong_codes_lock_the_code_even_for_the_right_one(shop):
    _order(email=GUEST)
    client = Client()
    client.post("/privacy/guest/", {"contact": GUEST})
    right = _last_code(GUEST)
    wrong = "000000" if right != "000000" else "111111"
    answers = [client.post("/privacy/guest/code/", {"code": wrong}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [400] * 5
    assert "เหลืออีก 4 ครั้ง" in answers[0].text and "ล็อก" in answers[4].text
    assert ContactCode.objects.get().wrong_tries == 5

    locked = client.post("/privacy/guest/code/", {"code": right})
    assert locked.status_code == 400 and "ล็อก" in locked.text
    row = ContactCode.objects.get()
    assert row.used_at is None and row.wrong_tries == 5  # the refusal changed nothing
    assert client.get("/privacy/guest/data.json").status_code == 302
    assert AuditEvent.objects.filter(action="privacy.guest_code_wrong").count() == 5
    assert not AuditEvent.objects.filter(action="privacy.guest_verified").exists()


def test_an_expired_or_used_code_is_refused_and_a_new_code_replaces_the_old():
    contact = Contact(kind=EMAIL, value=GUEST)
    now = timezone.now()
    row = guests.send_code(contact=contact, client="192.0.2.1", now=now)
    code = _last_code(GUEST)
    with pytest.raises(guests.CodeRefused):
        guests.check_code(
            code_id=row.pk, contact=contact, code=code, client="192.0.2.1", now=now + timedelta(minutes=10)
        )
    row.refresh_from_db()
    assert row.used_at is None and row.wrong_tries == 0

    newer = guests.send_code(contact=contact, client="192.0.2.1", now=now)
    with pytest.raises(guests.CodeRefused):  # the first code stopped working when the second was sent
        guests.check_code(code_id=row.pk, contact=contact, code=code, client="192.0.2.1", now=now)
    fresh = _last_code(GUEST)
    assert guests.check_code(code_id=newer.pk, contact=contact, code=fresh, client="192.0.2.1", now=now).used_at
    with pytest.raises(guests.CodeRefused):  # once only
        guests.check_code(code_id=newer.pk, contact=contact, code=fresh, client="192.0.2.1", now=now)
    # A code is bound to its address: the same code for another address is refused.
    third = guests.send_code(contact=contact, client="192.0.2.1", now=now)
    with pytest.raises(guests.CodeRefused):
        guests.check_code(
            code_id=third.pk, contact=Contact(kind=EMAIL, value="x@example.com"), code=_last_code(GUEST),
            client="192.0.2.1", now=now,
        )  # fmt: skip


def test_codes_are_limited_per_address_and_per_client_with_a_thai_message_and_nothing_sent():
    client = Client()
    for _ in range(3):
        assert client.post("/privacy/guest/", {"contact": GUEST}).status_code == 200
    refused = client.post("/privacy/guest/", {"contact": GUEST})
    assert refused.status_code == 429 and "กรุณารอ" in refused.text and int(refused["Retry-After"]) > 0
    assert ContactCode.objects.count() == 3
    assert OutboundMessage.objects.filter(event="privacy/guest_code").count() == 3
    # Per client: 10 an hour over any addresses.
    for number in range(7):
        client.post("/privacy/guest/", {"contact": f"p{number}@example.com"})
    with pytest.raises(TooManyTries):
        guests.send_code(contact=Contact(kind=EMAIL, value="q@example.com"), client="127.0.0.1")
    assert ContactCode.objects.count() == 10
    # Another client may still ask for its own address.
    assert Client(REMOTE_ADDR="192.0.2.9").post("/privacy/guest/", {"contact": "r@example.com"}).status_code == 200


def test_a_phone_number_is_refused_because_we_have_no_sms_and_nothing_is_stored():
    response = Client().post("/privacy/guest/", {"contact": "081-555-6666"})
    assert response.status_code == 400 and "SMS" in response.text
    assert not ContactCode.objects.exists() and not OutboundMessage.objects.exists()


def test_without_a_proved_address_nothing_is_shown_or_asked():
    client = Client()
    assert client.get("/privacy/guest/data/").status_code == 302
    assert client.get("/privacy/guest/data.pdf").status_code == 302
    assert client.post("/privacy/guest/request/", {"kind": "erasure"}).status_code == 302
    assert client.post("/privacy/guest/code/", {"code": "123456"}).status_code == 302
    assert not DataRequest.objects.exists() and not AuditEvent.objects.exists()


def test_a_guest_asks_for_erasure_and_staff_carry_it_out_within_30_days(shop, make_user, manager):
    guest_order = _order(email=GUEST)
    booking = _booking(email=GUEST)
    account_order = _order(email=GUEST, user=make_user(roles.CUSTOMER, email=GUEST))
    ConsentRecord.objects.create(
        subject=consent.email_subject(GUEST), purpose=consent.MARKETING_EMAIL, granted=True, channel="web",
        at=timezone.now(),
    )  # fmt: skip
    client = Client()
    _prove(client, GUEST)
    assert client.post("/privacy/guest/request/", {"kind": "correction", "details": " "}).status_code == 400
    assert not DataRequest.objects.exists()
    assert client.post("/privacy/guest/request/", {"kind": "erasure"}).status_code == 302
    request = DataRequest.objects.get()
    assert request.user is None and request.contact == GUEST and (request.due_at - request.requested_at).days == 30
    assert client.post("/privacy/guest/request/", {"kind": "erasure"}).status_code == 400  # one waiting is enough
    assert DataRequest.objects.count() == 1

    staff = Client()
    staff.force_login(manager)
    queue = staff.get("/privacy/requests/")
    assert request.reference in queue.text and GUEST in queue.text
    pdf = staff.get(f"/privacy/requests/{request.pk}/data.pdf")
    assert pdf.status_code == 200 and guest_order.number in pdf_text(pdf.content)
    staff.post(f"/privacy/requests/{request.pk}/erase/", {"confirm": "on"})

    guest_order.refresh_from_db()
    assert (guest_order.customer_name, guest_order.phone, guest_order.email, guest_order.address_line1) == (
        "-", "", "", "",
    )  # fmt: skip
    booking.refresh_from_db()
    assert (booking.name, booking.phone, booking.email) == ("", "", "")
    account_order.refresh_from_db()
    assert account_order.email == GUEST  # the account's order is the account's, not the guest request's
    assert ConsentRecord.objects.get().subject == "erased"
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE and request.contact == "s•••@example.com"
    assert "Revenue Code" in request.outcome
    assert AuditEvent.objects.filter(action="privacy.erased", target_id=str(request.pk)).count() >= 2
    assert AuditEvent.objects.filter(action="privacy.data_exported", target_id=str(request.pk)).exists()
    # The guest, still on the page, now finds nothing under the address.
    assert json.loads(client.get("/privacy/guest/data.json").content)["orders"]["orders"] == []


def test_a_signed_in_customer_downloads_their_data_as_a_thai_pdf(shop, make_user):
    customer = make_user(roles.CUSTOMER, email="somsri@example.com", first_name="สมศรี")
    order = _order(email="somsri@example.com", user=customer)
    client = Client()
    client.force_login(customer)
    assert "/privacy/my/data.pdf" in client.get("/privacy/my/").text
    response = client.get("/privacy/my/data.pdf")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    assert order.number in text and "somsri@example.com" in text and same_glyphs("คำสั่งซื้อ") in text
    assert str(timezone.localdate().year + 543) in text
