"""An order paid by card through the gateway (Opn Payments/Omise style): 3-D Secure, the signed webhook,
the charge fetched again before anything changes, once; refunds through the gateway."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client, TestCase

from otop.core.models import AuditEvent
from otop.inventory.models import SoldItem
from otop.orders import services
from otop.orders.models import Order
from otop.payments import services as payments
from otop.payments.gateway import sign
from otop.payments.models import GatewayEvent, Payment, Refund
from otop.payments.tests.fake_gateway import WEBHOOK_SECRET, FakeGateway, gateway_settings

WEBHOOK = "/payments/callback/gateway/"


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        gateway_settings(settings, fake)
        yield fake


def _place(quantity: int = 1) -> Order:
    return services.place_order(
        items=[("SILK-1", quantity)],
        customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333", email="buyer@example.com"),
        delivery_method="pickup",
    )


def _charge(order: Order, token: str) -> payments.CardStart:
    return payments.start_card_payment(
        paid_for=order,
        amount=order.total,
        reference=order.number,
        return_uri="http://testserver/back",
        card_token=token,
    )


def _post(client: Client, body: bytes, headers: dict):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(WEBHOOK, body, content_type="application/json", headers=headers)


def test_a_card_charged_at_once_pays_the_order(shop, gateway):
    order = _place()
    started = _charge(order, "tokn_test_ok")
    order.refresh_from_db()
    assert started.authorize_uri == ""
    assert order.status == Order.Status.PAID
    assert started.payment.status == Payment.Status.CONFIRMED
    # The PromptPay request of the order is no longer waiting.
    assert not order.payments.filter(status=Payment.Status.PENDING).exists()


def test_3ds_waits_then_the_signed_webhook_pays_once_after_fetching_the_charge(shop, gateway, client):
    order = _place()
    started = _charge(order, "tokn_test_3ds")
    assert started.authorize_uri.endswith(f"/authorize/{started.payment.provider_transaction_id}")
    charge_id = started.payment.provider_transaction_id
    # A webhook saying "complete" while the gateway still says pending changes nothing.
    body, headers = gateway.event(charge_id)
    assert _post(client, body, headers).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    gateway.complete(charge_id)
    body, headers = gateway.event(charge_id)
    fetched = gateway.calls("GET", f"/charges/{charge_id}")
    assert _post(client, body, headers).status_code == 200
    assert gateway.calls("GET", f"/charges/{charge_id}") == fetched + 1  # asked the gateway first
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    # The same event again, and another event for the same charge: 200, nothing changes.
    assert _post(client, body, headers).status_code == 200
    body2, headers2 = gateway.event(charge_id)
    assert _post(client, body2, headers2).status_code == 200
    assert order.events.filter(to_status=Order.Status.PAID).count() == 1
    assert GatewayEvent.objects.count() == 3
    assert AuditEvent.objects.filter(action="payments.card.confirmed").count() == 1


def test_forged_or_stale_webhooks_change_nothing(shop, gateway, client):
    order = _place()
    charge_id = _charge(order, "tokn_test_3ds").payment.provider_transaction_id
    gateway.complete(charge_id)
    body, headers = gateway.event(charge_id)
    assert _post(client, body, {}).status_code == 401
    forged = {**headers, "Omise-Signature": "0" * 64}
    assert _post(client, body, forged).status_code == 403
    tampered = body.replace(b"charge.complete", b"charge.completf")
    assert _post(client, tampered, headers).status_code == 403
    old = int(time.time()) - 3600
    stale = {
        "Omise-Signature": sign(body, timestamp=str(old), secret=WEBHOOK_SECRET),
        "Omise-Signature-Timestamp": str(old),
    }
    assert _post(client, body, stale).status_code == 403
    # A rolled secret: two signatures, one of them ours.
    rolled = {**headers, "Omise-Signature": "ab" * 32 + "," + headers["Omise-Signature"]}
    assert GatewayEvent.objects.count() == 0
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert _post(client, body, rolled).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_signed_event_for_a_charge_the_gateway_cannot_confirm_changes_nothing(shop, gateway, client):
    order = _place()
    charge_id = _charge(order, "tokn_test_3ds").payment.provider_transaction_id
    gateway.complete(charge_id)
    body, headers = gateway.event(charge_id)
    gateway.fail_next(f"/charges/{charge_id}", 503)
    assert _post(client, body, headers).status_code == 200  # kept; the task could not fetch the charge
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    event = GatewayEvent.objects.get()
    assert event.processed_at is None
    # The periodic job tries it again once the gateway answers.
    assert payments.apply_unprocessed_gateway_events(older_than=timedelta(0)) == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_an_event_for_a_charge_the_gateway_does_not_know_changes_nothing(shop, gateway, client):
    order = _place()
    charge_id = _charge(order, "tokn_test_3ds").payment.provider_transaction_id
    gateway.complete(charge_id)
    body, headers = gateway.event(charge_id)
    forged_id = body.replace(charge_id.encode(), b"chrg_test_999999")
    stamp = headers["Omise-Signature-Timestamp"]
    signed = {
        "Omise-Signature": sign(forged_id, timestamp=stamp, secret=WEBHOOK_SECRET),
        "Omise-Signature-Timestamp": stamp,
    }
    assert _post(client, forged_id, signed).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT


def test_a_declined_card_keeps_nothing_and_a_failed_3ds_cancels_the_card_payment(shop, gateway):
    order = _place()
    with pytest.raises(payments.CardRefused) as refused:
        _charge(order, "tokn_test_declined")
    assert "insufficient" in refused.value.message
    with pytest.raises(payments.CardRefused):
        _charge(order, "tokn_test_unknown")  # the gateway's 404 error object
    assert not order.payments.filter(method=Payment.Method.CARD).exists()
    started = _charge(order, "tokn_test_3ds")
    gateway.decline(started.payment.provider_transaction_id)
    payment = payments.apply_card_charge(charge_id=started.payment.provider_transaction_id)
    assert payment.status == Payment.Status.CANCELLED
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT  # PromptPay still possible


def test_money_for_an_order_already_paid_goes_back_through_the_gateway(shop, gateway):
    order = _place()
    started = _charge(order, "tokn_test_3ds")
    services.confirm_promptpay_payment(order=order, actor=None)
    gateway.complete(started.payment.provider_transaction_id)
    payment = payments.apply_card_charge(charge_id=started.payment.provider_transaction_id)
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount, refund.method) == (order.total, Refund.Method.GATEWAY)
    assert refund.provider_refund_id.startswith("rfnd_test_")
    assert gateway.state.charges[payment.provider_transaction_id]["refunded_amount"] == int(order.total * 100)


def test_gateway_refunds_partial_then_full_never_more_than_paid(shop, gateway):
    order = _place()
    payment = _charge(order, "tokn_test_ok").payment
    first = payments.refund_payment(
        payment=payment, amount=Decimal("100.00"), method=Refund.Method.GATEWAY, reason="ชำรุด", actor=None
    )
    assert first.provider_refund_id
    with pytest.raises(payments.RefundRefused):
        payments.refund_payment(
            payment=payment, amount=order.total, method=Refund.Method.GATEWAY, reason="ชำรุด", actor=None
        )
    assert Refund.objects.count() == 1
    gateway.fail_next(f"/charges/{payment.provider_transaction_id}/refunds", 400)
    with pytest.raises(payments.RefundRefused):  # the gateway's error: nothing kept
        payments.refund_payment(
            payment=payment, amount=Decimal("1.00"), method=Refund.Method.GATEWAY, reason="ชำรุด", actor=None
        )
    assert Refund.objects.count() == 1
    rest = order.total - Decimal("100.00")
    payments.refund_payment(payment=payment, amount=rest, method=Refund.Method.GATEWAY, reason="ชำรุด", actor=None)
    assert payments.refunded_total(payment) == order.total


@pytest.mark.django_db(transaction=True)
def test_concurrent_webhooks_and_the_buyers_return_pay_once(shop, gateway):
    order = _place()
    charge_id = _charge(order, "tokn_test_3ds").payment.provider_transaction_id
    gateway.complete(charge_id)
    events = [gateway.event(charge_id) for _ in range(10)]
    barrier = threading.Barrier(11)
    statuses: list[int] = []
    lock = threading.Lock()

    def send(body: bytes, headers: dict) -> None:
        try:
            barrier.wait()
            status = _post(Client(), body, headers).status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    def come_back() -> None:  # the buyer's return from 3-D Secure at the same moment
        try:
            barrier.wait()
            payments.apply_card_charge(charge_id=charge_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=event) for event in events] + [threading.Thread(target=come_back)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert statuses == [200] * 10
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.events.filter(to_status=Order.Status.PAID).count() == 1
    assert SoldItem.objects.filter(reference=f"order:{order.number}").count() == 1
    assert order.payments.filter(method=Payment.Method.CARD, status=Payment.Status.CONFIRMED).count() == 1
    assert not Refund.objects.exists()


def test_a_failed_automatic_refund_waits_on_the_staff_page_until_staff_refund_it(shop, gateway, client_for):
    order = _place()
    started = _charge(order, "tokn_test_3ds")
    services.confirm_promptpay_payment(order=order, actor=None)  # paid another way: the card money must go back
    charge_id = started.payment.provider_transaction_id
    gateway.complete(charge_id)
    gateway.fail_next(f"/charges/{charge_id}/refunds", 503)
    payment = payments.apply_card_charge(charge_id=charge_id)
    assert payment.status == Payment.Status.CONFIRMED and not Refund.objects.exists()
    staff = client_for("staff")
    page = staff.get("/en/payments/bank/").content.decode()
    assert "card-refunds-due" in page and charge_id in page
    retry = f"/en/payments/card-refunds/{payment.pk}/retry/"
    assert client_for("cashier").post(retry).status_code == 403
    assert client_for("customer").post(retry).status_code == 403
    assert not Refund.objects.exists()
    gateway.fail_next(f"/charges/{charge_id}/refunds", 400)  # refused again: nothing kept, still listed
    staff.post(retry)
    assert not Refund.objects.exists() and charge_id in staff.get("/en/payments/bank/").content.decode()
    answer = staff.post(retry)
    assert answer.status_code == 302
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == order.total and refund.provider_refund_id.startswith("rfnd_test_")
    assert gateway.state.charges[charge_id]["refunded_amount"] == int(order.total * 100)
    assert charge_id not in staff.get("/en/payments/bank/").content.decode()
    staff.post(retry)  # nothing left: no second refund
    assert Refund.objects.count() == 1
