"""Money words a Thai reader sees on the till, the receipt and the tax invoice: change is เงินทอน (money back),
never Django admin's เปลี่ยนแปลง (edit); a full tax invoice is titled once, not "ใบกำกับภาษี / ใบกำกับภาษี"."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.inventory.tests.factories import VariantFactory
from otop.pos import printing, services
from otop.pos.tests.factories import RegisterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cash_sale(make_user):
    register = RegisterFactory()
    cashier = make_user("cashier")
    shift = services.open_shift(register=register, actor=cashier, starting_cash=Decimal("500.00"))
    services.reserve_number_block(register=register, device_id="till-1", actor=cashier)
    silk = VariantFactory(price=Decimal("350.00"))
    stock_services.receive_stock(variant=silk, location=stock_selectors.location("shop"), quantity=1, actor=None)
    data = services.SaleInput(
        device_sale_id=uuid.uuid4(),
        shift_id=shift.pk,
        receipt_number=1,
        lines=[services.LineInput(variant_id=silk.pk, quantity=1, unit_price=silk.price)],
        payments=[services.PaymentInput(method="cash", amount=Decimal("350.00"), tendered=Decimal("500.00"))],
    )
    sale = services.record_sale(register=register, actor=cashier, data=data).sale
    return sale, cashier


def test_the_printed_receipt_says_money_back_not_edit(cash_sale):
    sale, _cashier = cash_sale
    text = "\n".join(printing.receipt_text_lines(sale))
    assert "เงินทอน" in text and "150.00" in text
    assert "เปลี่ยนแปลง" not in text
    assert "Change" in "\n".join(printing.receipt_text_lines(sale, language="en"))


def test_the_receipt_page_and_the_till_say_money_back(cash_sale, client):
    sale, cashier = cash_sale
    client.force_login(cashier)
    receipt = client.get(reverse("pos:receipt", args=[sale.pk]), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    till = client.get(reverse("pos:register", args=[sale.register.code]), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    for page in (receipt, till):
        assert "เงินทอน" in page
        assert "เปลี่ยนแปลง" not in page


def test_a_full_tax_invoice_is_titled_once_in_thai(cash_sale, client):
    sale, cashier = cash_sale
    services.issue_tax_invoice(sale=sale, buyer_name="บริษัท ตัวอย่าง จำกัด", buyer_address="ขอนแก่น", actor=cashier)
    client.force_login(cashier)
    url = reverse("pos:tax-invoice", args=[sale.pk])
    thai = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert re.search(r"<h1>\s*ใบกำกับภาษี\s*</h1>", thai)


def test_total_reads_yod_ruam_on_the_till_and_receipts(cash_sale, client):
    sale, cashier = cash_sale
    lines = printing.receipt_text_lines(sale)
    assert any(line.startswith("ยอดรวม") and "350.00" in line for line in lines)
    assert not any(line.startswith("รวม ") for line in lines)
    assert any(line.startswith("Total") for line in printing.receipt_text_lines(sale, language="en"))
    client.force_login(cashier)
    receipt = client.get(reverse("pos:receipt", args=[sale.pk]), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    till = client.get(reverse("pos:register", args=[sale.register.code]), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert re.search(r"<b>ยอดรวม</b>", receipt)
    assert re.search(r'class="pos-total-label">ยอดรวม<', till)
