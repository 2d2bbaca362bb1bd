"""The move of every payment into the payments app loses nothing.

Rows are written as the tables were before (web-order payments keyed by order, pos.Payment,
workspace.BookingPayment), the migrations run, and the one Payment table must hold the same
payments: the same counts and sums per method and per thing paid, the same times and people.
Lives in pos, the app above the other two whose migrations it runs (the layers allow it to know them).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("payments", "0001_initial"), ("pos", "0001_initial"), ("workspace", "0003_permissions")]
AFTER = [
    ("payments", "0002_one_payment_for_every_channel"),
    ("pos", "0002_payments_in_the_payments_app"),
    ("workspace", "0004_payments_in_the_payments_app"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    return state.apps


def _old_rows(apps) -> dict:
    """Write payments the way the three apps kept them before; return what was written."""
    User = apps.get_model("accounts", "User")
    Order = apps.get_model("orders", "Order")
    OrderPayment = apps.get_model("payments", "Payment")
    Register = apps.get_model("pos", "Register")
    Shift = apps.get_model("pos", "Shift")
    Sale = apps.get_model("pos", "Sale")
    TillPayment = apps.get_model("pos", "Payment")
    Space = apps.get_model("workspace", "Space")
    Booking = apps.get_model("workspace", "Booking")
    BookingPayment = apps.get_model("workspace", "BookingPayment")

    now = timezone.now().replace(microsecond=0)
    cashier = User.objects.create(username="migration-cashier")
    staff = User.objects.create(username="migration-staff")
    orders = [
        Order.objects.create(
            number=f"OTOP-2569-{n:06d}",
            customer_name="ลูกค้า",
            phone="0812223333",
            delivery_method="pickup",
            subtotal=amount,
            delivery_fee=Decimal("0.00"),
            total=amount,
            placed_at=now,
        )  # fmt: skip
        for n, amount in enumerate([Decimal("350.00"), Decimal("1250.50"), Decimal("99.99")], start=1)
    ]
    OrderPayment.objects.create(order=orders[0], method="promptpay", amount=orders[0].total, status="confirmed",
                                confirmed_at=now, confirmed_by=staff, payload="000201")  # fmt: skip
    OrderPayment.objects.create(order=orders[1], method="promptpay", amount=orders[1].total, status="pending")
    OrderPayment.objects.create(order=orders[2], method="promptpay", amount=orders[2].total, status="cancelled")

    register = Register.objects.create(code="mig", name_th="เคาน์เตอร์", name_en="Counter", kind="shop",
                                       receipt_prefix="M1", location_code="shop")  # fmt: skip
    shift = Shift.objects.create(register=register, opened_by=cashier, opened_at=now, starting_cash=Decimal("500.00"))
    till = [
        (Decimal("120.00"), [("cash", Decimal("120.00"), Decimal("200.00"), "")]),
        (
            Decimal("845.25"),
            [("card", Decimal("500.00"), None, "APPR-0042"), ("promptpay", Decimal("345.25"), None, "")],
        ),
    ]  # fmt: skip
    for number, (total, payments) in enumerate(till, start=1):
        sale = Sale.objects.create(
            device_sale_id=uuid.uuid4(), register=register, shift=shift, cashier=cashier, receipt_number=number,
            sold_at=now - timedelta(minutes=number), subtotal=total, total=total, vat=Decimal("0.00"),
        )  # fmt: skip
        for method, amount, tendered, reference in payments:
            TillPayment.objects.create(sale=sale, method=method, amount=amount, tendered=tendered, reference=reference)

    space = Space.objects.create(slug="mig-room", kind="room", name_th="ห้องประชุม", name_en="Room", capacity=10,
                                 price_per_hour=Decimal("300.00"), member_price_per_hour=Decimal("0.00"))  # fmt: skip
    booking = Booking.objects.create(
        space=space, reference="WS-MIG-1", token=uuid.uuid4().hex, starts_at=now, ends_at=now + timedelta(hours=2),
        occupied_until=now + timedelta(hours=2), price_per_hour=Decimal("300.00"), amount_due=Decimal("600.00"),
    )  # fmt: skip
    for method, amount, reference in [("transfer", Decimal("200.00"), "KBANK-77"), ("cash", Decimal("400.00"), "")]:
        BookingPayment.objects.create(booking=booking, method=method, amount=amount, reference=reference,
                                      recorded_by=staff)  # fmt: skip
    return {
        "orders": {order.pk: order for order in orders},
        "sales": {sale.pk: sale for sale in Sale.objects.filter(register=register)},
        "booking": booking,
        "staff": staff,
        "cashier": cashier,
        "till_sum": sum(TillPayment.objects.values_list("amount", flat=True), Decimal("0")),
        "booking_sum": sum(BookingPayment.objects.values_list("amount", flat=True), Decimal("0")),
        "recorded_at": {p.amount: p.recorded_at for p in BookingPayment.objects.all()},
    }


def _summary(payments) -> dict:
    rows: dict = {}
    for payment in payments:
        key = (payment.content_type.app_label, payment.method, payment.status)
        count, total = rows.get(key, (0, Decimal("0")))
        rows[key] = (count + 1, total + payment.amount)
    return rows


@pytest.mark.django_db(transaction=True)
def test_every_payment_reaches_the_one_table_with_nothing_lost():
    old = _migrate(BEFORE)
    written = _old_rows(old)

    new = _migrate(AFTER)
    Payment = new.get_model("payments", "Payment")
    payments = list(Payment.objects.select_related("content_type").order_by("pk"))

    assert _summary(payments) == {
        ("orders", "promptpay", "confirmed"): (1, Decimal("350.00")),
        ("orders", "promptpay", "pending"): (1, Decimal("1250.50")),
        ("orders", "promptpay", "cancelled"): (1, Decimal("99.99")),
        ("pos", "cash", "confirmed"): (1, Decimal("120.00")),
        ("pos", "card", "confirmed"): (1, Decimal("500.00")),
        ("pos", "promptpay", "confirmed"): (1, Decimal("345.25")),
        ("workspace", "transfer", "confirmed"): (1, Decimal("200.00")),
        ("workspace", "cash", "confirmed"): (1, Decimal("400.00")),
    }
    by_kind = {
        kind: [p for p in payments if p.content_type.app_label == kind] for kind in ("orders", "pos", "workspace")
    }
    assert sum(p.amount for p in by_kind["pos"]) == written["till_sum"] == Decimal("965.25")
    assert sum(p.amount for p in by_kind["workspace"]) == written["booking_sum"] == Decimal("600.00")
    # Each payment still pays the same row, with its own details.
    for payment in by_kind["orders"]:
        order = written["orders"][payment.object_id]
        assert payment.amount == order.total
        assert payment.reference == order.number.replace("-", "")
    confirmed_order = next(p for p in by_kind["orders"] if p.status == "confirmed")
    assert confirmed_order.confirmed_by_id == written["staff"].pk and confirmed_order.payload == "000201"
    for payment in by_kind["pos"]:
        sale = written["sales"][payment.object_id]
        assert (payment.created_at, payment.confirmed_at, payment.created_by_id) == (
            sale.sold_at, sale.sold_at, written["cashier"].pk
        )  # fmt: skip
    cash = next(p for p in by_kind["pos"] if p.method == "cash")
    card = next(p for p in by_kind["pos"] if p.method == "card")
    assert (cash.tendered, card.provider_transaction_id, card.provider) == (Decimal("200.00"), "APPR-0042", "")
    for payment in by_kind["workspace"]:
        assert payment.object_id == written["booking"].pk
        assert payment.created_by_id == payment.confirmed_by_id == written["staff"].pk
        assert payment.created_at == written["recorded_at"][payment.amount]
    assert {p.provider_transaction_id for p in by_kind["workspace"]} == {"KBANK-77", ""}
    # Every payment has the history of how it reached its status.
    PaymentEvent = new.get_model("payments", "PaymentEvent")
    assert {(e.payment_id, e.to_status) for e in PaymentEvent.objects.all()} >= {(p.pk, p.status) for p in payments}

    # And back: the old tables get their rows again.
    back = _migrate(BEFORE)
    assert sum(back.get_model("pos", "Payment").objects.values_list("amount", flat=True)) == Decimal("965.25")
    assert back.get_model("workspace", "BookingPayment").objects.count() == 2
    assert back.get_model("payments", "Payment").objects.filter(order__isnull=False).count() == 3
    _migrate(AFTER)
    # Back to the latest schema, so later tables (tax's, which replaced pos.TaxInvoice) are in place again.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
