from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from otop.core.models import AuditEvent, CenterProfile
from otop.notifications.models import OutboundMessage
from otop.producers import services
from otop.producers.errors import BankAccountNotPending, InvalidProducerData
from otop.producers.models import BankAccount, Producer
from otop.producers.tests.factories import BankAccountFactory, CertificationFactory, ProducerFactory

ADDRESS = {"province": "ขอนแก่น", "district": "เมืองขอนแก่น", "subdistrict": "ในเมือง", "postcode": "40000"}


def staff_form(**overrides):
    data = {
        "kind": "community_enterprise",
        "name_th": "วิสาหกิจชุมชนทอผ้าบ้านหัวฝาย",
        "phone": "081-234-5678",
        "province_name": "ขอนแก่น",
        "district_name": "เมืองขอนแก่น",
        "subdistrict_name": "ในเมือง",
        "postcode_value": "40000",
        "tax_id": "1101700207030",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_register_a_producer_with_a_checked_address(make_user):
    client = Client()
    client.force_login(make_user("staff"))
    response = client.post("/backoffice/producers/new/", staff_form())
    assert response.status_code == 302
    producer = Producer.objects.get()
    assert (producer.province.name_th, producer.district.name_th, producer.subdistrict.name_th) == (
        "ขอนแก่น", "เมืองขอนแก่น", "ในเมือง",
    )  # fmt: skip
    assert producer.phone == "0812345678"
    assert AuditEvent.objects.filter(action="producers.registered").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tax_id": "1101700207031"}, "tax_id", "กรุณากรอกเลขประจำตัวผู้เสียภาษี"),
        ({"phone": "12345"}, "phone", "กรุณากรอกหมายเลขโทรศัพท์ไทย"),
        ({"postcode_value": "40260"}, "postcode_value", "รหัสไปรษณีย์ของ"),
        ({"subdistrict_name": "บ้านเป็ด", "district_name": "ชุมแพ"}, "subdistrict_name", "ไม่อยู่ใน"),
    ],
)
def test_bad_input_gives_a_thai_field_error_and_saves_nothing(make_user, overrides, field, message):
    client = Client()
    client.force_login(make_user("staff"))
    response = client.post("/backoffice/producers/new/", staff_form(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not Producer.objects.exists()


def test_the_error_is_english_on_english_pages(make_user):
    client = Client()
    client.force_login(make_user("staff"))
    response = client.post("/en/backoffice/producers/new/", staff_form(phone="12345"))
    assert response.context["form"].errors["phone"] == ["Enter a Thai phone number, e.g. 081 234 5678 or 043 123 456."]


def test_a_producer_edits_its_profile_in_the_portal(make_user):
    user = make_user("producer", phone="0861234567")
    producer = ProducerFactory(user=user)
    client = Client()
    client.force_login(user)
    data = {
        "name_th": "กลุ่มใหม่", "phone": "0861234567", "province_name": "ขอนแก่น", "district_name": "เมืองขอนแก่น",
        "subdistrict_name": "ในเมือง", "postcode_value": "40000", "story_th": "เราทอผ้ามาสามรุ่น",
    }  # fmt: skip
    assert client.post("/portal/profile/", data).status_code == 302
    producer.refresh_from_db()
    assert (producer.name_th, producer.story_th, producer.district.name_th) == (
        "กลุ่มใหม่", "เราทอผ้ามาสามรุ่น", "เมืองขอนแก่น",
    )  # fmt: skip


def test_a_new_bank_account_takes_effect_only_after_staff_confirm(make_user):
    producer_user = make_user("producer")
    producer = ProducerFactory(user=producer_user)
    old = BankAccountFactory(producer=producer, status=BankAccount.Status.CONFIRMED, account_number="1111111111")
    new = services.submit_bank_account(
        actor=producer_user, producer=producer, bank="ktb", account_number="987-6-54321-0", account_name="กลุ่ม"
    )
    assert new.account_number == "9876543210"
    assert producer.confirmed_bank_account == old
    services.confirm_bank_account(actor=make_user("staff"), account=new)
    old.refresh_from_db()
    assert old.status == BankAccount.Status.REPLACED
    assert producer.confirmed_bank_account == new
    with pytest.raises(BankAccountNotPending):
        services.confirm_bank_account(actor=make_user("staff"), account=new)


def test_a_bad_account_number_is_refused(make_user):
    producer = ProducerFactory()
    with pytest.raises(InvalidProducerData) as raised:
        services.submit_bank_account(
            actor=make_user("producer"), producer=producer, bank="ktb", account_number="12", account_name="x"
        )
    assert raised.value.fields["account_number"] == ["เลขที่บัญชีมี 10 ถึง 15 หลัก"]
    assert not BankAccount.objects.exists()


def test_a_portal_sign_in_link_lets_the_producer_choose_a_password_and_sign_in_by_phone(make_user):
    from django.contrib.auth.tokens import default_token_generator

    producer = ProducerFactory(contact_name="สมศรี")
    staff = make_user("staff")
    user = services.open_portal_account(actor=staff, producer=producer, phone="089 555 1234")
    link = services.portal_sign_in_link(actor=staff, producer=producer, base_url="https://otop.example/")
    assert link.startswith("https://otop.example/accounts/password/set/")
    assert default_token_generator.check_token(user, link.rstrip("/").rsplit("/", 1)[1])
    user.set_password("ทอผ้า-บ้านโนน-9")
    user.save()
    signed_in = Client().post("/accounts/login/", {"username": "089-555-1234", "password": "ทอผ้า-บ้านโนน-9"})
    assert signed_in.status_code == 302
    assert user.phone == "0895551234"


@pytest.mark.django_db(transaction=True)
def test_expiring_certifications_are_flagged_once_to_producer_and_staff(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    CenterProfile.objects.filter(pk=1).update(email="staff@otop.example")
    producer = ProducerFactory(email="group@example.com")
    CertificationFactory(producer=producer, number="มผช.1/2566", expires_on=date(2027, 1, 20))
    CertificationFactory(producer=producer, number="มผช.2/2566", expires_on=date(2027, 6, 1))
    assert services.flag_expiring_certifications(today=date(2026, 11, 25)) == 1
    assert services.flag_expiring_certifications(today=date(2026, 11, 26)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["group@example.com", "staff@otop.example"]
    body = next(m.body for m in mail.outbox if m.to == ["group@example.com"])
    assert "20 ม.ค. 2570" in body
    assert OutboundMessage.objects.filter(event="certification_expiring").count() == 1


def test_a_certification_cannot_expire_before_it_was_issued(make_user):
    with pytest.raises(InvalidProducerData):
        services.add_certification(
            actor=make_user("producer"),
            producer=ProducerFactory(),
            kind="fda",
            number="10-1-12345-1-0001",
            issued_on=date(2026, 1, 1),
            expires_on=date(2025, 1, 1),
        )
