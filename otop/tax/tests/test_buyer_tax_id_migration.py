"""Migrations tax.0006 (the columns) and 0007 (the rows) encrypt the buyers' tax IDs and branches kept before
them and set the lookup digest; run backwards they write them back as they were (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from otop.core.encryption import PREFIX, lookup_digest

BEFORE = [("tax", "0005_replaced_invoices_and_credited_lines")]
AFTER = [("tax", "0007_encrypt_existing_buyer_tax_ids")]
TAX_ID = "0105551234567"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


def _raw(table: str, columns: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - fixed names
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_old_rows_and_its_reverse_gives_them_back():
    old = _migrate(BEFORE)
    series = old.get_model("tax", "DocumentSeries").objects.create(kind="full", prefix="TI-MIG", period="2569")
    TaxDocument = old.get_model("tax", "TaxDocument")
    common = {"kind": "full", "series": series, "issued_at": datetime(2026, 12, 1, 3, tzinfo=UTC),
              "source_type": "t", "seller_name": "ศูนย์", "vat_rate": Decimal("0.0700"), "total": Decimal("107.00"),
              "net": Decimal("100.00"), "vat": Decimal("7.00")}  # fmt: skip
    TaxDocument.objects.create(number=1, code="TI-MIG-1", source_id="1", buyer_name="บริษัท", buyer_tax_id=TAX_ID,
                               buyer_branch="00001", **common)  # fmt: skip
    TaxDocument.objects.create(number=2, code="TI-MIG-2", source_id="2", buyer_name="", **common)
    old.get_model("tax", "InvoiceRequest").objects.create(
        source_type="t", source_id="3", buyer_name="บริษัท", buyer_address="ขอนแก่น", buyer_tax_id=TAX_ID,
        buyer_branch="00000", requested_at=datetime(2026, 12, 1, 3, tzinfo=UTC),
    )  # fmt: skip
    try:
        _migrate(AFTER)
        documents = _raw("tax_taxdocument", "buyer_tax_id, buyer_branch, buyer_tax_id_digest")
        assert documents[0][0].startswith(PREFIX) and documents[0][1].startswith(PREFIX)
        assert TAX_ID not in " ".join(map(str, documents[0][:2])) and documents[0][2] == lookup_digest(TAX_ID)
        assert documents[1] == ("", "", "")  # no buyer: nothing to encrypt, nothing to find
        (request,) = _raw("tax_invoicerequest", "buyer_tax_id, buyer_branch")
        assert all(value.startswith(PREFIX) for value in request)

        _migrate(BEFORE)
        assert _raw("tax_taxdocument", "buyer_tax_id, buyer_branch") == [(TAX_ID, "00001"), ("", "")]
        assert _raw("tax_invoicerequest", "buyer_tax_id, buyer_branch") == [(TAX_ID, "00000")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
