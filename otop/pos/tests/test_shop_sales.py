"""Counter sales take stock through the inventory ledger; voids put it back; receipts reach the printer."""

from __future__ import annotations

import socket
import threading
import uuid
from decimal import Decimal

import pytest

from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.inventory.errors import OutOfStock
from otop.inventory.tests.factories import VariantFactory
from otop.pos import printing, services
from otop.pos.errors import ApprovalRequired
from otop.pos.models import Sale
from otop.pos.tests.factories import RegisterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(make_user):
    register = RegisterFactory()
    cashier = make_user("cashier")
    shift = services.open_shift(register=register, actor=cashier, starting_cash=Decimal("1000.00"))
    services.reserve_number_block(register=register, device_id="till-1", actor=cashier)
    return register, cashier, shift


def on_shelf(variant, quantity):
    stock_services.receive_stock(variant=variant, location=stock_selectors.location("shop"), quantity=quantity,
                                 actor=None)  # fmt: skip


def shelf(variant) -> int:
    return stock_selectors.on_hand(variant_id=variant.pk, location_code="shop")


def sale_of(shift, number, variant, quantity, *, offline=False, device_sale_id=None):
    total = variant.price * quantity
    return services.SaleInput(
        device_sale_id=device_sale_id or uuid.uuid4(),
        shift_id=shift.pk,
        receipt_number=number,
        lines=[services.LineInput(variant_id=variant.pk, quantity=quantity, unit_price=variant.price)],
        payments=[services.PaymentInput(method="cash", amount=total, tendered=total)],
        recorded_offline=offline,
    )


def test_a_counter_sale_takes_stock_from_the_shop_floor(counter):
    register, cashier, shift = counter
    silk = VariantFactory(price=Decimal("350.00"))
    on_shelf(silk, 5)
    sale = services.record_sale(register=register, actor=cashier, data=sale_of(shift, 1, silk, 2)).sale
    assert shelf(silk) == 3
    line = sale.lines.get()
    assert (line.name, line.total, line.category_name) == (silk.product.name_th, Decimal("700.00"), "ผ้าและเครื่องแต่งกาย")
    assert sale.vat == Decimal("45.79")


def test_online_a_shortage_refuses_the_sale_and_changes_nothing(counter):
    register, cashier, shift = counter
    silk = VariantFactory()
    on_shelf(silk, 1)
    with pytest.raises(OutOfStock):
        services.record_sale(register=register, actor=cashier, data=sale_of(shift, 1, silk, 2))
    assert shelf(silk) == 1
    assert Sale.objects.count() == 0


def test_an_offline_sale_is_recorded_even_when_stock_ran_out_and_flags_the_shortfall(counter):
    register, cashier, shift = counter
    silk = VariantFactory()
    on_shelf(silk, 1)
    data = sale_of(shift, 1, silk, 3, offline=True)
    sale = services.record_sale(register=register, actor=cashier, data=data).sale
    assert sale.has_shortfall and sale.needs_review
    assert sale.lines.get().shortfall_quantity == 2
    assert shelf(silk) == 0
    replay = services.record_sale(register=register, actor=cashier, data=data)
    assert not replay.created
    assert shelf(silk) == 0
    assert Sale.objects.count() == 1


def test_a_void_needs_a_manager_pin_and_puts_the_goods_back(counter, make_user):
    register, cashier, shift = counter
    boss = make_user("manager")
    services.set_manager_pin(user=boss, pin="987654")
    silk = VariantFactory()
    on_shelf(silk, 2)
    sale = services.record_sale(register=register, actor=cashier, data=sale_of(shift, 1, silk, 2)).sale
    with pytest.raises(ApprovalRequired):
        services.void_sale(sale=sale, reason="ลูกค้าเปลี่ยนใจ", manager_pin="1111", actor=cashier)
    assert shelf(silk) == 0
    services.void_sale(sale=sale, reason="ลูกค้าเปลี่ยนใจ", manager_pin="987654", actor=cashier)
    sale.refresh_from_db()
    assert sale.status == Sale.Status.VOIDED
    assert shelf(silk) == 2
    closed = services.close_shift(shift=shift, counted_cash=Decimal("1000.00"), actor=cashier)
    assert closed.expected_cash == Decimal("1000.00")
    assert closed.variance == Decimal("0.00")


class FakePrinter:
    """A network receipt printer on 127.0.0.1 that keeps every byte it is sent."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        connection, _address = self.server.accept()
        with connection:
            while chunk := connection.recv(4096):
                self.received += chunk
        self.server.close()


def test_the_receipt_reaches_an_escpos_network_printer(counter):
    register, cashier, shift = counter
    silk = VariantFactory(price=Decimal("350.00"))
    on_shelf(silk, 1)
    sale = services.record_sale(register=register, actor=cashier, data=sale_of(shift, 1, silk, 1)).sale
    printer = FakePrinter()
    sent = printing.print_receipt(sale=sale, host="127.0.0.1", port=printer.port)
    printer.thread.join(timeout=5)
    assert sent == len(printer.received) > 0
    assert b"S1-000001" in printer.received
    assert b"350.00" in printer.received
    assert printer.received.endswith(b"\x1dVA\x00") or b"\x1dV" in printer.received


def test_a_cashier_voids_a_sale_from_its_receipt_with_a_manager_pin(counter, client, make_user):
    register, cashier, shift = counter
    silk = VariantFactory(price=Decimal("350.00"))
    on_shelf(silk, 3)
    sale = services.record_sale(register=register, actor=cashier, data=sale_of(shift, 1, silk, 2)).sale
    assert shelf(silk) == 1
    services.set_manager_pin(user=make_user("manager"), pin="432109")
    client.force_login(cashier)
    receipt = client.get(f"/pos/receipts/{sale.pk}/").content.decode()
    assert f"/pos/receipts/{sale.pk}/void/" in receipt

    refused = client.post(f"/pos/receipts/{sale.pk}/void/", {"reason": "ลูกค้าเปลี่ยนใจ", "manager_pin": "0000"})
    assert refused.status_code == 400
    assert "PIN" in refused.content.decode()
    sale.refresh_from_db()
    assert (sale.status, shelf(silk)) == ("completed", 1)

    done = client.post(f"/pos/receipts/{sale.pk}/void/", {"reason": "ลูกค้าเปลี่ยนใจ", "manager_pin": "432109"})
    assert done.status_code == 302
    sale.refresh_from_db()
    assert (sale.status, shelf(silk)) == ("voided", 3)
