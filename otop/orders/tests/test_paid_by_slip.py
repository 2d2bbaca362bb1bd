"""A buyer who paid the AnyID QR by hand gives the slip: the bank confirms it and the order is paid, once."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from otop.core.models import AuditEvent, CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services
from otop.orders.models import Order
from otop.payments import services as payments
from otop.payments.models import BankTransfer
from otop.payments.slips import build_slip_payload, parse_slip_payload
from otop.payments.tests.fake_bank import BANGKOK, FakeBank, bank_settings, transfer_slip
from otop.search.tests.factories import listed_product


@pytest.fixture
def bank(settings):
    with FakeBank() as fake:
        bank_settings(settings, fake)
        settings.BANK_BILLER_ID = ""  # the AnyID QR: the case slips are for
        yield fake


@pytest.fixture
def stocked(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    product = listed_product(name_th="ผ้าไหม", price="175.25", sku="SILK-1")
    inventory.receive_stock(
        variant=product.variants.get(), location=stock.location(Location.Code.ONLINE), quantity=5, actor=None
    )


def _place() -> Order:
    return services.place_order(
        items=[("SILK-1", 2)],
        customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333"),
        delivery_method="pickup",
    )


def _pay(order: Order, text: str):
    slip = parse_slip_payload(text)
    return payments.pay_by_slip(
        payment=order.payments.get(status="pending"), sending_bank=slip.sending_bank, trans_ref=slip.trans_ref
    )


def test_a_slip_for_the_right_amount_pays_and_the_same_slip_is_refused_for_another_order(bank, stocked):
    first, second = _place(), _place()
    slip = transfer_slip(bank, amount=first.total, receiver_proxy="xxx-xxx-5678")
    transfer = _pay(first, slip)
    first.refresh_from_db()
    assert first.status == Order.Status.PAID and transfer.outcome == "matched"
    assert first.payments.get().provider == "slip"
    assert AuditEvent.objects.filter(action="payments.slip.matched").count() == 1
    with pytest.raises(payments.SlipRefused) as refused:
        _pay(second, slip)
    assert refused.value.reason == "already_used" and refused.value.message == "สลิปนี้ถูกใช้ชำระไปแล้ว"
    second.refresh_from_db()
    assert second.status == Order.Status.PENDING_PAYMENT and BankTransfer.objects.count() == 1


@pytest.mark.parametrize(
    "amount, receiver, age, reason",
    [
        ("350.00", "0066812345678", timedelta(0), "wrong_amount"),
        ("350.50", "0899999999", timedelta(0), "other_receiver"),
        ("350.50", "xxx-xxx-9999", timedelta(0), "other_receiver"),
        ("350.50", "0812345678", timedelta(days=1), "too_old"),  # made before the order was placed
    ],
)
def test_refusals_change_nothing_and_say_why_in_thai(bank, stocked, amount, receiver, age, reason):
    order = _place()
    slip = transfer_slip(bank, amount=amount, receiver_proxy=receiver, at=(timezone.now() - age).astimezone(BANGKOK))
    with pytest.raises(payments.SlipRefused) as refused:
        _pay(order, slip)
    assert refused.value.reason == reason
    assert not refused.value.message.isascii()  # Thai by default
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and BankTransfer.objects.count() == 0


def test_a_slip_the_bank_does_not_know_is_refused(bank, stocked):
    with pytest.raises(payments.SlipRefused) as refused:
        _pay(_place(), build_slip_payload(sending_bank="004", trans_ref="NOSUCHREF0001"))
    assert refused.value.reason == "not_found"


@pytest.mark.django_db(transaction=True)
def test_one_slip_offered_for_two_orders_at_once_pays_one(bank, stocked):
    orders = [_place(), _place()]
    assert orders[0].total == orders[1].total == Decimal("350.50")
    slip = transfer_slip(bank, amount="350.50", receiver_proxy="0812345678")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def offer(order: Order) -> None:
        try:
            barrier.wait()
            try:
                _pay(order, slip)
                outcomes.append("paid")
            except payments.SlipRefused as error:
                outcomes.append(error.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=offer, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert sorted(outcomes) == ["already_used", "paid"]
    assert Order.objects.filter(status=Order.Status.PAID).count() == 1
