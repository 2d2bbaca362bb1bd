"""An order paid by its bill payment QR: the bank's confirmation pays it with no staff action, once."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client, TestCase
from django.utils import timezone

from otop.core.models import AuditEvent, CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, SoldItem
from otop.orders import services
from otop.orders.models import Order
from otop.payments import services as services_payments
from otop.payments.models import BankTransfer, Payment
from otop.payments.promptpay import parse_payload
from otop.payments.tests.fake_bank import FakeBank, bank_settings
from otop.search.tests.factories import listed_product

CALLBACK = "/payments/callback/bank/"


@pytest.fixture
def bank(settings):
    with FakeBank() as fake:
        bank_settings(settings, fake)
        yield fake


def _place(quantity: int = 2) -> Order:
    return services.place_order(
        items=[("SILK-1", quantity)],
        customer=services.CustomerDetails(name="ลูกค้า", phone="0812223333"),
        delivery_method="pickup",
    )


@pytest.fixture
def stocked(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    product = listed_product(name_th="ผ้าไหม", price="175.25", sku="SILK-1")
    variant = product.variants.get()
    inventory.receive_stock(variant=variant, location=stock.location(Location.Code.ONLINE), quantity=3, actor=None)
    return variant


def _post(client: Client, body: dict, secret: str = "test-callback-secret-0123456789"):
    # The matching runs in the task queue after the callback's transaction commits (immediate backend here).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(CALLBACK, body, content_type="application/json", headers={"X-Callback-Secret": secret})


def test_the_qr_is_a_bill_payment_naming_the_order(bank, stocked):
    order = _place()
    parsed = parse_payload(order.payments.get().payload)
    assert parsed.bill.biller_id == "099400000000601"
    assert parsed.bill.ref1 == order.number.replace("OTOP-", "").replace("-", "")
    assert parsed.amount == Decimal("350.50")


def test_without_a_biller_id_the_qr_is_anyid_as_before(stocked, settings):
    settings.BANK_BILLER_ID = ""
    parsed = parse_payload(_place().payments.get().payload)
    assert parsed.bill is None and parsed.target.value == "0066812345678"


def test_the_exact_amount_pays_the_order_commits_stock_and_records_sales_once(bank, stocked):
    order = _place()
    payment = order.payments.get()
    body = bank.pay(ref1=payment.ref1, amount=order.total)
    client = Client()
    response = _post(client, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"resCode": "00", "resDesc": "success", "transactionId": body["transactionId"]}
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at is not None
    assert (payment.status, payment.provider, payment.provider_transaction_id) == (
        "confirmed",
        "bank",
        body["transactionId"],
    )
    assert stock.available_quantities(variant_ids=[stocked.pk]) == {stocked.pk: 1}
    assert SoldItem.objects.filter(reference=f"order:{order.number}").count() == 1
    transfer = BankTransfer.objects.get()
    assert (transfer.outcome, transfer.payment, transfer.payer_name) == ("matched", payment, "นาย สมชาย ใจดี")
    assert AuditEvent.objects.filter(action="payments.bank_transfer.matched").count() == 1
    # The bank sends it again (its retry): 200, nothing changes, the bank is not even asked.
    asked = len(bank.state.requests)
    assert _post(client, body).status_code == 200
    assert len(bank.state.requests) == asked
    assert BankTransfer.objects.count() == 1 and SoldItem.objects.filter(reference=f"order:{order.number}").count() == 1
    assert order.events.filter(to_status="paid").count() == 1
    # The matching task run again (a worker retry) changes nothing either.
    services_payments.settle_bank_transfer(transfer_id=transfer.pk)
    assert (
        order.events.filter(to_status="paid").count() == 1 and Payment.objects.filter(status="confirmed").count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_with_a_queue_the_bank_is_answered_first_and_the_worker_pays_the_order(bank, stocked, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    order = _place()
    body = bank.pay(ref1=order.payments.get().ref1, amount=order.total)
    assert _post(Client(), body).status_code == 200
    transfer = BankTransfer.objects.get()
    order.refresh_from_db()
    assert transfer.outcome == "received" and order.status == Order.Status.PENDING_PAYMENT
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"] == {"transfer_id": transfer.pk}
    services_payments.settle_bank_transfer(transfer_id=transfer.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_wrong_amount_is_held_for_staff_and_the_order_stays_unpaid(bank, stocked, client_for):
    order = _place()
    body = bank.pay(ref1=order.payments.get().ref1, amount="350.00")
    assert _post(Client(), body).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and order.payments.get().status == "pending"
    transfer = BankTransfer.objects.get()
    assert transfer.outcome == "held" and "350.00" in transfer.reason and "350.50" in transfer.reason
    page = client_for("staff").get("/payments/bank/")
    assert page.status_code == 200 and body["billPaymentRef1"] in page.content.decode()


def test_unknown_ref1_is_kept_as_unmatched_money(bank, stocked):
    body = bank.pay(ref1="2569999999", amount="99.00")
    assert _post(Client(), body).status_code == 200
    transfer = BankTransfer.objects.get()
    assert (transfer.outcome, transfer.payment, transfer.amount) == ("unmatched", None, Decimal("99.00"))
    assert AuditEvent.objects.filter(action="payments.bank_transfer.unmatched").exists()


def test_a_forged_callback_changes_nothing(bank, stocked):
    order = _place()
    ref1 = order.payments.get().ref1
    client = Client()
    forged = {"transactionId": "FORGED1", "amount": "350.50", "billPaymentRef1": ref1}
    assert _post(client, forged, secret="wrong").status_code == 403
    assert client.post(CALLBACK, forged, content_type="application/json").status_code == 401
    assert bank.state.requests == []  # refused before the bank was asked
    # The right secret, but the bank's inquiry does not list this transaction.
    assert _post(client, forged).status_code == 409
    # A real transaction whose pushed amount was changed on the way.
    body = bank.pay(ref1=ref1, amount="1.00")
    assert _post(client, {**body, "amount": "350.50"}).status_code == 409
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and BankTransfer.objects.count() == 0


def test_the_bank_unreachable_answers_503_so_it_sends_again(bank, stocked):
    order = _place()
    body = bank.pay(ref1=order.payments.get().ref1, amount=order.total)
    bank.fail_next("/v1/payment/billpayment/inquiry", 500)
    assert _post(Client(), body).status_code == 503
    assert BankTransfer.objects.count() == 0
    assert _post(Client(), body).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_an_expired_order_is_sold_again_if_stock_allows_else_flagged_for_refund(bank, stocked):
    first = _place(quantity=2)
    services.expire_overdue_orders(now=timezone.now() + timedelta(hours=1))
    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    body = bank.pay(ref1=first.payments.get().ref1, amount=first.total)
    assert _post(Client(), body).status_code == 200
    first.refresh_from_db()
    assert first.status == Order.Status.PAID
    assert stock.available_quantities(variant_ids=[stocked.pk]) == {stocked.pk: 1}
    assert first.payments.filter(status="confirmed", provider="bank").count() == 1

    second = _place(quantity=1)
    services.expire_overdue_orders(now=timezone.now() + timedelta(hours=1))
    third = _place(quantity=1)  # takes the last unit meanwhile
    body = bank.pay(ref1=second.payments.get().ref1, amount=second.total)
    assert _post(Client(), body).status_code == 200
    second.refresh_from_db()
    transfer = BankTransfer.objects.get(transaction_id=body["transactionId"])
    assert second.status == Order.Status.CANCELLED and transfer.outcome == "refund_due"
    assert second.number in transfer.reason
    assert third.status == Order.Status.PENDING_PAYMENT


def test_a_second_payment_for_a_paid_order_is_flagged_for_refund(bank, stocked):
    order = _place()
    ref1 = order.payments.get().ref1
    assert _post(Client(), bank.pay(ref1=ref1, amount=order.total)).status_code == 200
    assert _post(Client(), bank.pay(ref1=ref1, amount=order.total)).status_code == 200
    assert list(BankTransfer.objects.order_by("pk").values_list("outcome", flat=True)) == ["matched", "refund_due"]
    assert Payment.objects.filter(status="confirmed").count() == 1


def test_the_token_is_asked_once_and_renewed_when_the_bank_refuses_it(bank, stocked):
    order = _place()
    ref1 = order.payments.get().ref1
    _post(Client(), bank.pay(ref1=ref1, amount="1.00"))
    _post(Client(), bank.pay(ref1=ref1, amount="2.00"))
    assert [path for _, path in bank.state.requests].count("/v1/oauth/token") == 1
    bank.state.tokens.clear()  # the bank revoked it
    assert _post(Client(), bank.pay(ref1=ref1, amount=order.total)).status_code == 200
    assert [path for _, path in bank.state.requests].count("/v1/oauth/token") == 2


def test_without_the_bank_settings_the_callback_is_404(stocked, settings):
    settings.BANK_CALLBACK_SECRET = ""
    assert _post(Client(), {"transactionId": "X", "amount": "1"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"transactionId": "X"}',
        b'{"transactionId": "X", "amount": "1.005"}',
        b'{"transactionId": 5, "amount": "1"}',
        b'{"transactionId": "X", "amount": "-1"}',
        b'{"transactionId": "X", "amount": "NaN"}',
        b'{"transactionId": "X", "amount": "1e400"}',
    ],
)
def test_bodies_that_are_not_confirmations_are_400(bank, stocked, body):
    response = Client().post(
        CALLBACK,
        body,
        content_type="application/json",
        headers={"X-Callback-Secret": "test-callback-secret-0123456789"},
    )
    assert response.status_code == 400 and BankTransfer.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_duplicate_callbacks_pay_once(bank, stocked):
    order = _place()
    body = bank.pay(ref1=order.payments.get().ref1, amount=order.total)
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            barrier.wait()
            # As the bank does: a 503 (our inquiry to it timed out under the burst) is sent again.
            for _attempt in range(5):
                status = _post(Client(), body).status_code
                if status != 503:
                    break
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert statuses == [200] * 50
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert BankTransfer.objects.count() == 1 and Payment.objects.filter(status="confirmed").count() == 1
    assert order.events.filter(to_status="paid").count() == 1
    assert SoldItem.objects.filter(reference=f"order:{order.number}").count() == 1
    assert stock.available_quantities(variant_ids=[stocked.pk]) == {stocked.pk: 1}
