"""The till's full tax invoice goes through the tax app: a void cancels it, a later refund credits it,
and the invoices issued before the tax app keep their numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from otop.pos import services
from otop.pos.errors import InvalidSale
from otop.pos.tests.test_tea_and_numbers import iced_tea_sale, tea  # noqa: F401 - the fixture
from otop.tax.models import DocumentKind, TaxDocument

BUYER = {"buyer_name": "บริษัท ตะกร้าของขวัญ จำกัด", "buyer_address": "ขอนแก่น", "buyer_tax_id": "0105551234567"}


@pytest.fixture
def approved(make_user):
    boss = make_user("manager")
    services.set_manager_pin(user=boss, pin="987654")
    return "987654"


@pytest.mark.django_db
def test_a_void_in_the_shift_cancels_the_invoice_which_is_kept(tea, approved):  # noqa: F811
    register, cashier, shift, _numbers = tea
    sale = services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1)).sale
    invoice = services.issue_tax_invoice(sale=sale, actor=cashier, **BUYER)
    services.void_sale(sale=sale, reason="ลูกค้าเปลี่ยนใจ", manager_pin=approved, actor=cashier)
    invoice.refresh_from_db()
    assert invoice.status == TaxDocument.Status.CANCELLED and invoice.cancel_reason == "ลูกค้าเปลี่ยนใจ"
    with pytest.raises(InvalidSale):
        services.issue_tax_invoice(sale=sale, actor=cashier, **BUYER)
    # The receipt's abbreviated invoice and the full one: both kept, both cancelled.
    assert sorted(TaxDocument.objects.values_list("kind", "status")) == [
        ("abbreviated", "cancelled"), ("full", "cancelled"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_every_till_sale_is_kept_as_an_abbreviated_invoice_with_its_receipt_number(tea):  # noqa: F811
    register, cashier, shift, _numbers = tea
    sale = services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 7)).sale
    services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 8, recorded_offline=True))
    receipt = TaxDocument.objects.get(source_id=str(sale.pk))
    assert (receipt.kind, receipt.code, receipt.total, receipt.vat) == ("abbreviated", sale.receipt_code, sale.total,
                                                                         sale.vat)  # fmt: skip
    assert TaxDocument.objects.filter(kind="abbreviated").count() == 2


@pytest.mark.django_db
def test_a_refund_after_the_shift_issues_a_credit_note_referring_to_the_invoice(tea, approved):  # noqa: F811
    register, cashier, shift, _numbers = tea
    sale = services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1)).sale
    invoice = services.issue_tax_invoice(sale=sale, actor=cashier, **BUYER)
    services.close_shift(shift=shift, counted_cash=Decimal("555.00"), actor=cashier)
    services.open_shift(register=register, actor=cashier, starting_cash=Decimal("500.00"))
    services.void_sale(sale=sale, reason="แก้วแตก", manager_pin=approved, actor=cashier)
    note = TaxDocument.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.refers_to == invoice and note.reason == "แก้วแตก"
    assert (note.total, note.vat, note.corrected_value) == (invoice.total, invoice.vat, Decimal("0.00"))
    invoice.refresh_from_db()
    assert invoice.status == TaxDocument.Status.ISSUED


@pytest.mark.django_db
def test_a_bad_tax_id_is_shown_on_its_field_and_takes_no_number(tea, client_for):  # noqa: F811
    register, cashier, shift, _numbers = tea
    sale = services.record_sale(register=register, actor=cashier, data=iced_tea_sale(shift, 1)).sale
    client = client_for("cashier")
    page = client.post(f"/pos/receipts/{sale.pk}/tax-invoice/", {**BUYER, "buyer_tax_id": "0105551234568"})
    assert "buyer_tax_id" in page.context["form"].errors
    assert not TaxDocument.objects.filter(kind=DocumentKind.FULL).exists()
    assert TaxDocument.objects.get(kind=DocumentKind.ABBREVIATED).status == TaxDocument.Status.ISSUED
    page = client.post(f"/pos/receipts/{sale.pk}/tax-invoice/", {**BUYER, "buyer_branch": "1"}, follow=True)
    text = page.content.decode()
    assert "ใบกำกับภาษี" in text and "สาขาที่ 00001" in text and "•••••••••4567" in text
    assert "0105551234567" not in text  # the page masks it; the printed PDF carries it in full (tax tests)


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_the_till_before_the_tax_app_keep_their_codes_and_the_series_goes_on():
    executor = MigrationExecutor(connection)
    apps = executor.migrate([("pos", "0003_price_lists"), ("tax", "0001_documents")]).apps
    User = apps.get_model("accounts", "User")
    Register = apps.get_model("pos", "Register")
    Shift = apps.get_model("pos", "Shift")
    Sale = apps.get_model("pos", "Sale")
    TaxInvoice = apps.get_model("pos", "TaxInvoice")
    ReceiptCounter = apps.get_model("pos", "ReceiptCounter")
    now = timezone.now()
    cashier = User.objects.create(username="carry-over")
    register = Register.objects.create(code="t9", name_th="ร้าน", receipt_prefix="T9", location_code="shop")
    shift = Shift.objects.create(register=register, opened_by=cashier, opened_at=now, starting_cash=0)
    for number in (1, 2):
        sale = Sale.objects.create(
            device_sale_id=f"00000000-0000-0000-0000-00000000000{number}", register=register, shift=shift,
            cashier=cashier, receipt_number=number, sold_at=now, subtotal=Decimal("107.00"),
            total=Decimal("107.00"), vat=Decimal("7.00"),
        )  # fmt: skip
        TaxInvoice.objects.create(sale=sale, register=register, number=number, issued_at=now,
                                  buyer_name="บริษัท", buyer_address="ขอนแก่น")  # fmt: skip
    ReceiptCounter.objects.create(register=register, series="tax_invoice", next_number=3)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    documents = TaxDocument.objects.filter(source_type="pos.sale").order_by("number")
    assert [(d.code, d.total, d.vat, d.net) for d in documents] == [
        ("T9-TI-000001", Decimal("107.00"), Decimal("7.00"), Decimal("100.00")),
        ("T9-TI-000002", Decimal("107.00"), Decimal("7.00"), Decimal("100.00")),
    ]
    assert documents[0].series.next_number == 3
