"""Bank callback speed: `POST /payments/callback/bank/` for a web order's exact total, timed through
Django's whole request stack with the bank's inquiry (OAuth token cached) answered by the fake bank on
127.0.0.1 and the transfer kept once, its matching queued in the database task queue (goal p95 < 100 ms);
then the worker's part, timed apart: matching each transfer and paying its order (stock committed,
sale lines recorded).
"""

from __future__ import annotations

import uuid

from django.test import Client, override_settings

from bench.harness import Context, TimedCase
from otop.core.models import CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location
from otop.orders import services
from otop.orders.models import Order
from otop.payments import services as payment_services
from otop.payments.models import BankTransfer
from otop.payments.tests.fake_bank import API_KEY, API_SECRET, BILLER_ID, CALLBACK_SECRET, FakeBank
from otop.search.tests.factories import listed_product

ITERATIONS = 200
WARM_UP = 5


def timed_cases(context: Context) -> list[TimedCase]:
    state: dict = {}
    extra: dict = {"inquiry": "fake bank on 127.0.0.1, one GET per callback, token cached"}

    def setup() -> None:
        bank = state["bank"] = FakeBank().__enter__()
        overrides = override_settings(
            BANK_API_BASE_URL=bank.url,
            BANK_API_KEY=API_KEY,
            BANK_API_SECRET=API_SECRET,
            BANK_BILLER_ID=BILLER_ID,
            BANK_CALLBACK_SECRET=CALLBACK_SECRET,
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        )
        overrides.enable()
        state["overrides"] = overrides
        if not CenterProfile.objects.filter(pk=1).exclude(promptpay_id="").exists():
            CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
        sku = state["sku"] = f"BENCH-BANK-{uuid.uuid4().hex[:8].upper()}"  # a fresh product each run
        product = listed_product(name_th="ผ้าไหมวัดความเร็ว", price="350.50", sku=sku, code=sku[-8:].lower())
        inventory.receive_stock(
            variant=product.variants.get(),
            location=stock.location(Location.Code.ONLINE),
            quantity=ITERATIONS + WARM_UP,
            actor=None,
        )
        bodies = []
        for _ in range(ITERATIONS + WARM_UP):
            order = services.place_order(
                items=[(sku, 1)],
                customer=services.CustomerDetails(name="ลูกค้าทดสอบ", phone="0812223333"),
                delivery_method="pickup",
            )
            bodies.append((order.pk, bank.pay(ref1=order.payments.get().ref1, amount=order.total)))
        state["bodies"] = bodies
        state["client"] = Client()
        for _pk, body in bodies[ITERATIONS:]:  # warm up: URL conf, connections, the token
            _post(state["client"], body)
        for transfer in BankTransfer.objects.filter(outcome=BankTransfer.Outcome.RECEIVED):
            payment_services.settle_bank_transfer(transfer_id=transfer.pk)

    def callback(iteration: int) -> None:
        pk, body = state["bodies"][iteration]
        response = _post(state["client"], body)
        assert response.status_code == 200, response.content
        if iteration == ITERATIONS - 1:
            token_requests = [path for _, path in state["bank"].state.requests].count("/v1/oauth/token")
            extra["token requests"] = token_requests
            state.pop("overrides").disable()
            state["bank"].__exit__()
            state["transfers"] = list(
                BankTransfer.objects.filter(outcome=BankTransfer.Outcome.RECEIVED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )

    def settle(iteration: int) -> None:
        payment_services.settle_bank_transfer(transfer_id=state["transfers"][iteration])
        if iteration == ITERATIONS - 1:
            timed = [pk for pk, _ in state["bodies"][:ITERATIONS]]
            paid = Order.objects.filter(pk__in=timed, status=Order.Status.PAID).count()
            extra_worker["orders paid"] = f"{paid} of {len(timed)}"

    extra_worker: dict = {}
    return [
        TimedCase(
            "payments: bank callback (verified, kept)",
            callback,
            iterations=ITERATIONS,
            setup=setup,
            goal="p95 < 100 ms (inquiry included)",
            extra=extra,
        ),
        TimedCase(
            "payments: worker matches and pays",
            settle,
            iterations=ITERATIONS,
            goal="(no goal: in the task queue)",
            extra=extra_worker,
        ),
    ]


def _post(client: Client, body: dict):
    return client.post(
        "/payments/callback/bank/",
        body,
        content_type="application/json",
        headers={"X-Callback-Secret": CALLBACK_SECRET},
    )
