"""Refunds of an order, full or partial: how the money went back (gateway or staff transfer), once, never
more than was paid; the credit note through the orders' tax documents, the history and the customer's e-mail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase

from otop.orders import services
from otop.orders.errors import InvalidOrder, TransitionNotAllowed
from otop.orders.models import Order
from otop.payments import services as payments
from otop.payments.models import Refund
from otop.payments.tests.fake_gateway import FakeGateway, gateway_settings
from otop.tax.models import DocumentKind, TaxDocument

CUSTOMER = services.CustomerDetails(name="ลูกค้า", phone="0812223333", email="buyer@example.com")


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        gateway_settings(settings, fake)
        yield fake


def _paid_by_promptpay(staff) -> Order:
    order = services.place_order(items=[("SILK-1", 1), ("RICE-1", 2)], customer=CUSTOMER, delivery_method="pickup")
    return services.confirm_promptpay_payment(order=order, actor=staff)


def test_a_partial_transfer_refund_then_the_rest(shop, make_user):
    staff = make_user("staff")
    order = _paid_by_promptpay(staff)
    assert services.refundable_amount(order) == Decimal("1411.00")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.refund_order(
            order=order,
            amount=Decimal("80.25"),
            method=Refund.Method.TRANSFER,
            transfer_reference="KBANK-20261205-0001",
            reason="ข้าวชำรุด 1 ถุง",
            actor=staff,
        )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    refund = Refund.objects.get()
    assert (refund.amount, refund.transfer_reference, refund.created_by) == (
        Decimal("80.25"),
        "KBANK-20261205-0001",
        staff,
    )
    note = TaxDocument.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert (note.total, note.reason) == (Decimal("80.25"), "ข้าวชำรุด 1 ถุง")
    assert order.events.filter(note__contains="ข้าวชำรุด 1 ถุง").count() == 1
    assert any("ข้าวชำรุด 1 ถุง" in message.body and "80.25" in message.body for message in mail.outbox)
    assert services.refundable_amount(order) == Decimal("1330.75")
    # The rest (no amount): the order is refunded, its credit notes add up to the invoice.
    services.refund_order(
        order=order, method=Refund.Method.TRANSFER, transfer_reference="KBANK-2", reason="ยกเลิกทั้งหมด", actor=staff
    )
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert sum(n.total for n in TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE)) == order.total
    assert services.refundable_amount(order) == Decimal("0.00")


@pytest.mark.parametrize(
    ("amount", "method", "reference", "reason"),
    [
        (Decimal("1411.01"), Refund.Method.TRANSFER, "REF", "เกิน"),  # more than was paid
        (Decimal("0"), Refund.Method.TRANSFER, "REF", "ศูนย์"),
        (Decimal("1.001"), Refund.Method.TRANSFER, "REF", "สตางค์"),
        (Decimal("10.00"), Refund.Method.TRANSFER, "", "ไม่มีเลขอ้างอิง"),  # a transfer without its reference
        (Decimal("10.00"), Refund.Method.GATEWAY, "", "ไม่ใช่บัตร"),  # PromptPay money cannot go back by card
        (Decimal("10.00"), Refund.Method.TRANSFER, "REF", "  "),  # no reason
    ],
)
def test_a_refused_refund_changes_nothing(shop, make_user, amount, method, reference, reason):
    order = _paid_by_promptpay(make_user("staff"))
    with pytest.raises((InvalidOrder, payments.RefundRefused)):
        services.refund_order(
            order=order, amount=amount, method=method, transfer_reference=reference, reason=reason, actor=None
        )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not Refund.objects.exists()
    assert not TaxDocument.objects.filter(kind=DocumentKind.CREDIT_NOTE).exists()


def test_an_unpaid_order_cannot_be_refunded(shop):
    order = services.place_order(items=[("SILK-1", 1)], customer=CUSTOMER, delivery_method="pickup")
    with pytest.raises(TransitionNotAllowed):
        services.refund_order(
            order=order, method=Refund.Method.TRANSFER, transfer_reference="R", reason="x", actor=None
        )


def test_a_card_order_is_refunded_in_full_through_the_gateway(shop, gateway, make_user):
    order = services.place_order(items=[("SILK-1", 1)], customer=CUSTOMER, delivery_method="pickup")
    payment = payments.start_card_payment(
        paid_for=order, amount=order.total, reference=order.number, return_uri="http://t/", card_token="tokn_test_ok"
    ).payment
    services.refund_order(order=order, method=Refund.Method.GATEWAY, reason="สินค้าหมด", actor=make_user("staff"))
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    refund = Refund.objects.get(payment=payment)
    assert refund.provider_refund_id.startswith("rfnd_test_") and refund.amount == order.total
    assert gateway.state.charges[payment.provider_transaction_id]["refunded_amount"] == int(order.total * 100)


def test_staff_refund_from_the_order_page(shop, make_user, client):
    staff = make_user("staff")
    order = _paid_by_promptpay(staff)
    client.force_login(staff)
    page = client.get(f"/en/orders/{order.number}/")
    assert page.status_code == 200 and b"refund-amount" in page.content
    url = f"/en/orders/{order.number}/refund/"
    body = {"amount": "100.00", "method": "transfer", "transfer_reference": "SCB-1", "reason": "ชำรุด"}
    client.post(url, body)  # not confirmed: nothing happens
    assert not Refund.objects.exists()
    client.post(url, {**body, "amount": "abc", "confirm": "yes"})
    assert not Refund.objects.exists()
    answer = client.post(url, {**body, "confirm": "yes"})
    assert answer.status_code == 302
    assert Refund.objects.get().amount == Decimal("100.00")
    assert b"SCB-1" in client.get(f"/en/orders/{order.number}/").content
    # Refunding through the generic status form is refused: money moves only through the refund form.
    client.post(f"/en/orders/{order.number}/status/", {"status": "refunded", "note": "x", "confirm": "yes"})
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
