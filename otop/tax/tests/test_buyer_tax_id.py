"""A buyer's tax ID is encrypted at rest, found again by its keyed hash, masked on pages and in the staff API,
printed in full on the tax invoice, and every full look by staff is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client

from otop.core.encryption import PREFIX, lookup_digest, reencrypt_rows
from otop.core.models import AuditEvent
from otop.tax import selectors, services
from otop.tax.models import DocumentKind, InvoiceRequest, TaxDocument
from otop.tax.tests.test_pdf import NOW, invoice, pdf_text  # noqa: F401 - the fixture

TAX_ID = "0105551234567"
MASKED = "•••••••••4567"


def raw_row(table: str, pk: int) -> str:
    """Every column of one row as text, as a dump of the database shows it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed name
        return " ".join(str(value) for value in cursor.fetchone())


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_raw_rows_of_a_document_and_a_request_hold_no_tax_id(invoice):  # noqa: F811
    request = services.request_full_invoice(
        source_type="orders.order", source_id=7,
        buyer=services.Buyer(name="บริษัท", address="ขอนแก่น", tax_id="0-1055-51234-56-7", branch="2"),
    )  # fmt: skip
    for table, pk in (("tax_taxdocument", invoice.pk), ("tax_invoicerequest", request.pk)):
        row = raw_row(table, pk)
        assert TAX_ID not in row and "0-1055-51234-56-7" not in row
        assert stored(table, "buyer_tax_id", pk).startswith(PREFIX)
        assert stored(table, "buyer_branch", pk).startswith(PREFIX)
    # The application reads them back as issued.
    document = TaxDocument.objects.get(pk=invoice.pk)
    assert (document.buyer_tax_id, document.buyer_branch, document.buyer_branch_label) == (
        TAX_ID, "00001", "สาขาที่ 00001"
    )  # fmt: skip
    assert (InvoiceRequest.objects.get(pk=request.pk).buyer_tax_id, request.buyer_branch) == (TAX_ID, "00002")
    # The lookup column is a keyed hash, not the number, and a document without a buyer keeps both empty.
    assert stored("tax_taxdocument", "buyer_tax_id_digest", invoice.pk) == lookup_digest(TAX_ID) != TAX_ID
    abbreviated = services.issue_document(
        kind=DocumentKind.ABBREVIATED, source_type="t", source_id=2, register_code="web",
        lines=invoice_lines(), now=NOW,
    )  # fmt: skip
    assert (stored("tax_taxdocument", "buyer_tax_id", abbreviated.pk),
            stored("tax_taxdocument", "buyer_tax_id_digest", abbreviated.pk)) == ("", "")  # fmt: skip


def invoice_lines() -> list[services.SoldLine]:
    return [services.SoldLine(name="ผ้าไหม", quantity=1, unit_price=Decimal("107.00"), total=Decimal("107.00"))]


def issue_full_in_november(*, day: int, tax_id: str) -> TaxDocument:
    return services.issue_document(
        kind=DocumentKind.FULL, source_type="t", source_id=f"nov-{day}", lines=invoice_lines(),
        buyer=services.Buyer(name="บริษัท", address="ขอนแก่น", tax_id=tax_id),
        now=datetime(2026, 11, day, 3, 0, tzinfo=UTC),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_returning_buyer_is_found_by_tax_id_through_a_key_rotation(invoice, settings):  # noqa: F811
    assert list(selectors.documents_of_buyer("0-1055-51234-56-7")) == [invoice]
    assert list(selectors.documents_of_buyer("0105551234568")) == []
    assert list(selectors.documents_of_buyer("")) == []

    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    # Before the rotation the digest is under the old key: still found, as every key's digest is asked.
    assert list(selectors.documents_of_buyer(TAX_ID)) == [invoice]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert list(selectors.documents_of_buyer(TAX_ID)) == [invoice]
    raw = stored("tax_taxdocument", "buyer_tax_id", invoice.pk)
    assert Fernet(new.encode()).decrypt(raw[len(PREFIX) :].encode()).decode() == TAX_ID
    assert reencrypt_rows(TaxDocument, "buyer_tax_id") == 0  # nothing left to rotate


@pytest.mark.django_db
def test_rows_kept_before_encryption_are_encrypted_and_hashed_by_the_migration_step(invoice):  # noqa: F811
    with connection.cursor() as cursor:  # as rows were before migrations 0006 and 0007
        cursor.execute(
            "UPDATE tax_taxdocument SET buyer_tax_id = %s, buyer_branch = %s, buyer_tax_id_digest = '' WHERE id = %s",
            [TAX_ID, "00001", invoice.pk],
        )
    assert TaxDocument.objects.get(pk=invoice.pk).buyer_tax_id == TAX_ID  # plaintext still reads
    assert list(selectors.documents_of_buyer(TAX_ID)) == []

    assert reencrypt_rows(TaxDocument, "buyer_tax_id") == 1
    assert reencrypt_rows(TaxDocument, "buyer_branch") == 1
    assert TAX_ID not in raw_row("tax_taxdocument", invoice.pk)
    assert list(selectors.documents_of_buyer(TAX_ID)) == [invoice]
    assert TaxDocument.objects.get(pk=invoice.pk).buyer_branch == "00001"


@pytest.mark.django_db
def test_staff_print_the_full_tax_id_and_each_print_is_audited(invoice, make_user):  # noqa: F811
    cashier = make_user("cashier")
    client = Client()
    client.force_login(cashier)
    response = client.get(f"/tax/documents/{invoice.public_id}.pdf")
    assert response.status_code == 200
    assert TAX_ID in pdf_text(response.content)  # s.86/4: the full tax invoice carries it
    event = AuditEvent.objects.get(action="tax.buyer_tax_id_viewed")
    assert (event.actor, event.target_id, event.data) == (cashier, str(invoice.pk), {"how": "pdf"})
    assert TAX_ID not in event.summary and MASKED in event.summary


@pytest.mark.django_db
def test_a_document_without_a_buyer_tax_id_prints_without_an_audit_row(make_user):
    document = services.issue_document(
        kind=DocumentKind.ABBREVIATED, source_type="t", source_id=3, register_code="web", lines=invoice_lines()
    )
    client = Client()
    client.force_login(make_user("staff"))
    assert client.get(f"/tax/documents/{document.public_id}.pdf").status_code == 200
    assert not AuditEvent.objects.filter(action="tax.buyer_tax_id_viewed").exists()


@pytest.mark.django_db
def test_the_api_masks_the_tax_id_for_staff_and_gives_it_to_the_manager_audited(invoice, client_for, manager):  # noqa: F811
    path = f"/api/v1/tax/documents/{invoice.public_id}"
    staff = client_for("staff").get(path)
    assert staff.status_code == 200 and staff.json()["buyer"]["tax_id"] == MASKED
    assert TAX_ID not in staff.content.decode()
    assert not AuditEvent.objects.filter(action="tax.buyer_tax_id_viewed").exists()

    client = Client()
    client.force_login(manager)
    assert client.get(path).json()["buyer"]["tax_id"] == TAX_ID
    event = AuditEvent.objects.get(action="tax.buyer_tax_id_viewed")
    assert (event.actor, event.data) == (manager, {"how": "api"})


@pytest.mark.django_db
def test_the_report_page_masks_finds_one_buyer_and_its_files_are_full_and_audited(manager):
    first = issue_full_in_november(day=2, tax_id=TAX_ID)
    issue_full_in_november(day=3, tax_id="0994000000006")
    client = Client()
    client.force_login(manager)
    page = client.get("/tax/report/", {"month": "2026-11"}).content.decode()
    assert TAX_ID not in page and MASKED in page and "•••••••••0006" in page
    one = client.get("/tax/report/", {"month": "2026-11", "buyer": "0-1055-51234-56-7"})
    assert [row.code for row in one.context["report"].rows] == [first.code]

    csv_file = client.get("/tax/report/2026-11.csv")
    assert TAX_ID in csv_file.content.decode()
    event = AuditEvent.objects.get(action="tax.output_tax_report_exported")
    assert (event.actor, event.summary, event.data) == (manager, "2026-11.csv", {"buyer_tax_ids": 2})


@pytest.mark.django_db
def test_the_till_page_of_a_full_invoice_shows_the_tax_id_masked(invoice):  # noqa: F811
    text = render_to_string("tax/includes/document.html", {"document": invoice})
    assert TAX_ID not in text and MASKED in text and "สาขาที่ 00001" in text
