"""National ID and bank account numbers are encrypted at rest, masked on pages, and each full look is audited."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client

from otop.core.encryption import PREFIX, UnreadableValue, reencrypt_rows
from otop.core.models import AuditEvent
from otop.producers.models import BankAccount, Producer
from otop.producers.tests.factories import BankAccountFactory, ProducerFactory
from otop.producers.tests.test_services import staff_form

NATIONAL_ID = "3400100234560"  # a valid Thai ID checksum
ACCOUNT = "0209876543"


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def dump_of(table: str) -> str:
    """Every column of every row as text, as a raw database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed name
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


@pytest.mark.django_db
def test_a_raw_read_of_the_database_shows_no_national_id_or_account_number():
    producer = ProducerFactory(kind=Producer.Kind.PERSON, tax_id=NATIONAL_ID)
    account = BankAccountFactory(producer=producer, account_number=ACCOUNT)

    raw_id = stored("producers_producer", "tax_id", producer.pk)
    raw_account = stored("producers_bankaccount", "account_number", account.pk)
    assert raw_id.startswith(PREFIX) and NATIONAL_ID not in raw_id
    assert raw_account.startswith(PREFIX) and ACCOUNT not in raw_account
    assert NATIONAL_ID not in dump_of("producers_producer")
    assert ACCOUNT not in dump_of("producers_bankaccount")
    # The application reads them back as they were typed.
    assert Producer.objects.get(pk=producer.pk).tax_id == NATIONAL_ID
    assert BankAccount.objects.get(pk=account.pk).account_number == ACCOUNT
    # The same number encrypts differently each time: equal numbers are not visible as equal ciphertexts.
    other = ProducerFactory(kind=Producer.Kind.PERSON, tax_id=NATIONAL_ID)
    assert stored("producers_producer", "tax_id", other.pk) != raw_id


@pytest.mark.django_db
def test_an_empty_number_stays_empty_and_can_still_be_queried():
    ProducerFactory(tax_id="")
    with_id = ProducerFactory(tax_id=NATIONAL_ID)
    assert list(Producer.objects.exclude(tax_id="").values_list("pk", flat=True)) == [with_id.pk]


@pytest.mark.django_db
def test_keys_rotate_newest_encrypts_all_decrypt_and_the_command_re_encrypts(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    producer = ProducerFactory(tax_id=NATIONAL_ID)
    before = stored("producers_producer", "tax_id", producer.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert Producer.objects.get(pk=producer.pk).tax_id == NATIONAL_ID  # the old key still reads
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = stored("producers_producer", "tax_id", producer.pk)
    assert after != before
    assert Fernet(new.encode()).decrypt(after[len(PREFIX) :].encode()).decode() == NATIONAL_ID

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key can go once rotated
    assert Producer.objects.get(pk=producer.pk).tax_id == NATIONAL_ID
    assert reencrypt_rows(Producer, "tax_id") == 0  # nothing left to rotate


@pytest.mark.django_db
def test_a_value_no_configured_key_reads_is_an_error_not_a_silent_blank(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    producer = ProducerFactory(tax_id=NATIONAL_ID)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UnreadableValue):
        Producer.objects.get(pk=producer.pk)


@pytest.mark.django_db
def test_numbers_stored_before_encryption_are_read_and_then_encrypted_by_the_data_migration_step():
    producer = ProducerFactory(tax_id="")
    account = BankAccountFactory(producer=producer)
    with connection.cursor() as cursor:  # as rows were before migration 0004
        cursor.execute("UPDATE producers_producer SET tax_id = %s WHERE id = %s", [NATIONAL_ID, producer.pk])
        cursor.execute("UPDATE producers_bankaccount SET account_number = %s WHERE id = %s", [ACCOUNT, account.pk])
    assert Producer.objects.get(pk=producer.pk).tax_id == NATIONAL_ID

    assert reencrypt_rows(Producer, "tax_id") == 1
    assert reencrypt_rows(BankAccount, "account_number") == 1
    assert NATIONAL_ID not in stored("producers_producer", "tax_id", producer.pk)
    assert ACCOUNT not in stored("producers_bankaccount", "account_number", account.pk)
    assert BankAccount.objects.get(pk=account.pk).account_number == ACCOUNT


@pytest.fixture
def person_with_account():
    producer = ProducerFactory(kind=Producer.Kind.PERSON, tax_id=NATIONAL_ID)
    account = BankAccountFactory(producer=producer, account_number=ACCOUNT, status=BankAccount.Status.CONFIRMED)
    return producer, account


@pytest.mark.django_db
def test_staff_see_the_numbers_masked_on_the_producer_page(client_for, person_with_account):
    producer, _ = person_with_account
    page = client_for("staff").get(f"/backoffice/producers/{producer.pk}/").content.decode()
    assert NATIONAL_ID not in page and ACCOUNT not in page
    assert "•••••••••4560" in page and "••••••6543" in page
    edit = client_for("staff").get(f"/backoffice/producers/{producer.pk}/edit/").content.decode()
    assert NATIONAL_ID not in edit


@pytest.mark.django_db
def test_the_manager_sees_the_national_id_in_full_and_the_look_is_audited(manager, person_with_account):
    producer, _ = person_with_account
    client = Client()
    client.force_login(manager)
    response = client.post(f"/backoffice/producers/{producer.pk}/reveal/", {"what": "tax_id"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert NATIONAL_ID in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="producers.national_id_viewed")
    assert event.actor == manager and event.target_id == str(producer.pk)
    assert NATIONAL_ID not in event.summary


@pytest.mark.django_db
def test_staff_may_not_see_the_national_id_and_nothing_is_recorded(client_for, person_with_account):
    producer, _ = person_with_account
    response = client_for("staff").post(f"/backoffice/producers/{producer.pk}/reveal/", {"what": "tax_id"})
    assert response.status_code == 403
    assert NATIONAL_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(action="producers.national_id_viewed").exists()


@pytest.mark.django_db
def test_staff_who_confirm_accounts_see_an_account_in_full_audited(make_user, person_with_account):
    producer, account = person_with_account
    staff = make_user("staff")
    client = Client()
    client.force_login(staff)
    response = client.post(
        f"/backoffice/producers/{producer.pk}/reveal/", {"what": "account", "account": str(account.pk)}
    )
    assert response.status_code == 200 and ACCOUNT in response.content.decode()
    assert AuditEvent.objects.filter(action="producers.bank_account_viewed", actor=staff).count() == 1


@pytest.mark.parametrize("role", ["committee", "cashier", "customer", "producer"])
@pytest.mark.django_db
def test_other_roles_never_reach_a_full_number(client_for, person_with_account, role):
    producer, account = person_with_account
    client = client_for(role)
    for data in ({"what": "tax_id"}, {"what": "account", "account": str(account.pk)}):
        response = client.post(f"/backoffice/producers/{producer.pk}/reveal/", data)
        assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__endswith="_viewed").exists()


@pytest.mark.django_db
def test_the_edit_form_keeps_the_number_on_file_when_left_empty_and_the_audit_log_masks_a_change(manager):
    producer = ProducerFactory(kind=Producer.Kind.PERSON, tax_id=NATIONAL_ID)
    client = Client()
    client.force_login(manager)
    response = client.post(
        f"/backoffice/producers/{producer.pk}/edit/", staff_form(name_th=producer.name_th, tax_id="")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Producer.objects.get(pk=producer.pk).tax_id == NATIONAL_ID

    new_id = "1101700203450"
    response = client.post(
        f"/backoffice/producers/{producer.pk}/edit/", staff_form(name_th=producer.name_th, tax_id=new_id)
    )
    assert response.status_code == 302
    assert Producer.objects.get(pk=producer.pk).tax_id == new_id
    event = AuditEvent.objects.filter(action="producers.profile_updated").latest("pk")
    assert event.data["tax_id"] == ["•••••••••4560", "•••••••••3450"]


@pytest.mark.django_db
def test_the_api_gives_staff_a_masked_account_number_and_the_producer_its_own_in_full(client_for, make_user):
    owner = make_user("producer", phone="0867778888")
    producer = ProducerFactory(user=owner)
    BankAccountFactory(producer=producer, account_number=ACCOUNT, status=BankAccount.Status.CONFIRMED)
    staff_body = client_for("staff").get(f"/api/v1/producers/{producer.pk}").json()
    assert staff_body["bank_accounts"][0]["account_number"] == "••••••6543"
    own = Client()
    own.force_login(owner)
    assert own.get("/api/v1/producers/me").json()["bank_accounts"][0]["account_number"] == ACCOUNT
