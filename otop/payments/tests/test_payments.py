"""One Payment table for money in: statuses move along TRANSITIONS with events; references are unique."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from otop.core.models import CenterProfile
from otop.payments import services
from otop.payments.models import Payment, PaymentEvent
from otop.payments.promptpay import parse_payload
from otop.payments.selectors import payments_for, promptpay_payment_for, received_total


@pytest.fixture
def promptpay_set_up(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()


@pytest.fixture
def something_to_pay(db):
    """Any row of an app above payments will do: a payment knows only its content type and id."""
    return CenterProfile.objects.get(pk=1)


def test_the_qr_asks_for_the_exact_amount_to_the_centers_promptpay_id(promptpay_set_up):
    qr = services.promptpay_qr(Decimal("456.25"))
    parsed = parse_payload(qr.payload)
    assert (parsed.amount, parsed.target.value) == (Decimal("456.25"), "0066812345678")
    assert qr.svg().startswith("<?xml") or "<svg" in qr.svg()


def test_without_a_promptpay_id_no_qr_is_made(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="")
    cache.clear()
    with pytest.raises(services.PromptPayNotSetUp):
        services.promptpay_qr(Decimal("100.00"))


def test_a_request_waits_then_is_received_once_with_its_history(promptpay_set_up, something_to_pay, make_user):
    staff = make_user("staff")
    payment = services.request_promptpay_payment(
        paid_for=something_to_pay, amount=Decimal("350.00"), reference="OTOP2569000001"
    )
    assert (payment.status, payment.method, payment.amount) == ("pending", "promptpay", Decimal("350.00"))
    assert parse_payload(payment.payload).amount == Decimal("350.00")
    assert promptpay_payment_for(something_to_pay) == payment
    assert received_total(something_to_pay) == Decimal("0")

    assert services.confirm_pending_payments(paid_for=something_to_pay, actor=staff) == 1
    assert services.confirm_pending_payments(paid_for=something_to_pay, actor=staff) == 0
    payment.refresh_from_db()
    assert (payment.status, payment.confirmed_by) == ("confirmed", staff)
    assert received_total(something_to_pay) == Decimal("350.00")
    assert [(e.from_status, e.to_status, e.actor) for e in payment.events.all()] == [
        ("", "pending", None),
        ("pending", "confirmed", staff),
    ]


def test_a_received_payment_cannot_be_cancelled_and_nothing_changes(promptpay_set_up, something_to_pay):
    payment = services.request_promptpay_payment(paid_for=something_to_pay, amount=Decimal("10.00"))
    services.confirm_payment(payment=payment, actor=None)
    with pytest.raises(services.PaymentTransitionNotAllowed):
        services.confirm_payment(payment=payment, actor=None)
    assert services.cancel_pending_payments(paid_for=something_to_pay) == 0
    payment.refresh_from_db()
    assert payment.status == "confirmed"
    assert payment.events.count() == 2


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("10.005")])
def test_an_amount_that_is_not_positive_satang_is_refused(something_to_pay, amount, make_user):
    with pytest.raises(services.InvalidPayment):
        services.record_received_payments(
            paid_for=something_to_pay, received=[services.ReceivedMoney("cash", amount)], actor=make_user("cashier")
        )
    assert not Payment.objects.exists() and not PaymentEvent.objects.exists()


def test_money_received_at_a_counter_is_recorded_received(something_to_pay, make_user):
    cashier = make_user("cashier")
    cash, card = services.record_received_payments(
        paid_for=something_to_pay,
        received=[
            services.ReceivedMoney("cash", Decimal("100.00"), tendered=Decimal("500.00")),
            services.ReceivedMoney("card", Decimal("45.50"), provider_transaction_id=" APPR-1 "),
        ],
        actor=cashier,
    )
    assert [(p.method, p.status, p.amount) for p in payments_for(something_to_pay)] == [
        ("cash", "confirmed", Decimal("100.00")),
        ("card", "confirmed", Decimal("45.50")),
    ]
    assert (cash.tendered, card.provider_transaction_id, card.created_by) == (Decimal("500.00"), "APPR-1", cashier)
    assert [e.to_status for e in PaymentEvent.objects.order_by("pk")] == ["confirmed", "confirmed"]


def test_a_reference_and_a_providers_transaction_are_each_paid_once(promptpay_set_up, something_to_pay):
    services.request_promptpay_payment(paid_for=something_to_pay, amount=Decimal("10.00"), reference="REF1")
    with pytest.raises(IntegrityError), transaction.atomic():
        services.request_promptpay_payment(paid_for=something_to_pay, amount=Decimal("10.00"), reference="REF1")
    first = services.record_received_payments(
        paid_for=something_to_pay, received=[services.ReceivedMoney("card", Decimal("5.00"))], actor=None
    )[0]
    Payment.objects.filter(pk=first.pk).update(provider="scb", provider_transaction_id="T-1")
    second = services.record_received_payments(
        paid_for=something_to_pay, received=[services.ReceivedMoney("card", Decimal("5.00"))], actor=None
    )[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(provider="scb", provider_transaction_id="T-1")
    # Typed by hand (no provider), the same terminal code may appear twice.
    Payment.objects.filter(pk__in=[first.pk, second.pk]).update(provider="", provider_transaction_id="1234")


def test_the_promptpay_payload_is_built_in_one_place_only():
    """Web orders, the till and room bookings all ask payments.services.promptpay_qr."""
    root = Path(__file__).resolve().parents[2]
    callers = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "promptpay.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "build_payload":
                    callers.add(str(path.relative_to(root)))
    assert callers == {"payments/services.py"}


def test_staff_read_payments_and_their_history_through_the_api(promptpay_set_up, something_to_pay, client, client_for):
    waiting = services.request_promptpay_payment(paid_for=something_to_pay, amount=Decimal("99.50"), reference="R1")
    services.record_received_payments(
        paid_for=something_to_pay, received=[services.ReceivedMoney("cash", Decimal("20.00"))], actor=None
    )
    staff = client_for("staff")
    page = staff.get("/api/v1/payments?status=pending").json()
    assert page["count"] == 1
    (item,) = page["items"]
    assert (item["id"], item["method"], item["amount"], item["reference"]) == (waiting.pk, "promptpay", "99.50", "R1")
    assert item["paid_for"] == {"kind": "core.centerprofile", "id": something_to_pay.pk}
    assert staff.get("/api/v1/payments?kind=pos.sale").json()["count"] == 0
    detail = staff.get(f"/api/v1/payments/{waiting.pk}").json()
    assert [(e["from_status"], e["to_status"]) for e in detail["events"]] == [("", "pending")]

    assert staff.get("/api/v1/payments/999999").json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/payments").status_code == 401
    assert client_for("customer").get("/api/v1/payments").status_code == 403
    assert staff.get("/api/v1/payments?status=paid").status_code == 400
