"""Bank callback speed and exactly-once, through the real HTTP path.

The fake bank (the tests' own, `otop.payments.tests.fake_bank`) runs on 127.0.0.1 in the bench process;
our server is gunicorn with DEBUG off and gthread workers as deploy/systemd/otop-web@.service runs it,
pointed at the fake bank by the BANK_* settings and queueing work in the database task queue (as in
production: nothing runs inline). The bank's own `push()` sends each confirmation over HTTP, so a
timing is what the bank waits for: our secret check, the inquiry to the bank (real client code, OAuth
token cached per worker process), the transfer kept once and its matching queued (goal p95 < 100 ms).

Then the worker's part, timed apart: each queued task claimed and run by django-tasks-db's own worker
code (the transfer matched, the order paid, stock committed, sale lines recorded).

A check: 50 concurrent duplicates of one confirmation, then the worker, leave exactly one kept transfer,
one queued task, one confirmed payment, one "paid" step, one set of sale lines — on each database the
bench runs (SQLite, then PostgreSQL).
"""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import ExitStack

from django.db import close_old_connections, connection
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from bench.harness import CheckCase, Context, TimedCase, served
from otop.core.models import AuditEvent, CenterProfile
from otop.inventory import selectors as stock
from otop.inventory import services as inventory
from otop.inventory.models import Location, SoldItem
from otop.orders import services
from otop.orders.models import Order
from otop.payments import services as payment_services
from otop.payments.models import BankTransfer, Payment
from otop.payments.tests.fake_bank import API_KEY, API_SECRET, BILLER_ID, CALLBACK_SECRET, FakeBank, push
from otop.search.tests.factories import listed_product

ITERATIONS = 200
WARM_UP = 12  # both server processes load the URL conf, their connections and their token first
DUPLICATES = 50
DB_TASKS = "django_tasks_db.DatabaseBackend"
SETTLE_TASK = "otop.payments.tasks.settle_bank_transfer_task"
CALLBACK = "/payments/callback/bank/"


def _bank_env(bank: FakeBank) -> dict[str, str]:
    return {
        "BANK_API_BASE_URL": bank.url,
        "BANK_API_KEY": API_KEY,
        "BANK_API_SECRET": API_SECRET,
        "BANK_BILLER_ID": BILLER_ID,
        "BANK_CALLBACK_SECRET": CALLBACK_SECRET,
        "TASK_BACKEND": DB_TASKS,
    }


def _with_bank(stack: ExitStack) -> FakeBank:
    """The fake bank, and this process's settings pointed at it (orders placed here get a bill payment QR)."""
    bank = stack.enter_context(FakeBank())
    stack.enter_context(
        override_settings(
            BANK_API_BASE_URL=bank.url,
            BANK_API_KEY=API_KEY,
            BANK_API_SECRET=API_SECRET,
            BANK_BILLER_ID=BILLER_ID,
            BANK_CALLBACK_SECRET=CALLBACK_SECRET,
            TASKS={"default": {"BACKEND": DB_TASKS}},
        )
    )
    if not CenterProfile.objects.filter(pk=1).exclude(promptpay_id="").exists():
        CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    return bank


def _stocked_sku(quantity: int) -> str:
    sku = f"BENCH-BANK-{uuid.uuid4().hex[:8].upper()}"  # a fresh product each run
    product = listed_product(name_th="ผ้าไหมวัดความเร็ว", price="350.50", sku=sku, code=sku[-8:].lower())
    location = stock.location(Location.Code.ONLINE)
    inventory.receive_stock(variant=product.variants.get(), location=location, quantity=quantity, actor=None)
    return sku


def _place(sku: str) -> Order:
    return services.place_order(
        items=[(sku, 1)],
        customer=services.CustomerDetails(name="ลูกค้าทดสอบ", phone="0812223333"),
        delivery_method="pickup",
    )


def _settle_tasks(transfer_ids: list[int]) -> list[DBTaskResult]:
    tasks = DBTaskResult.objects.filter(task_path=SETTLE_TASK).order_by("enqueued_at")
    wanted = set(transfer_ids)
    return [task for task in tasks if task.args_kwargs.get("kwargs", {}).get("transfer_id") in wanted]


def _run_task(task: DBTaskResult) -> None:
    """Claim and run one queued task with django-tasks-db's worker code, as `manage.py db_worker` does."""
    worker = Worker(
        queue_names=[task.queue_name],
        interval=0,
        batch=True,
        backend_name=task.backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    task.claim(worker.worker_id)
    worker.run_task(task)


def _warm_up(context: Context, bodies: list[dict]) -> None:
    """Callbacks sent side by side, so every server process and thread has its URL conf, database connection
    and bank token before the timing starts (first requests are not what is measured)."""
    threads = [threading.Thread(target=push, args=(context.base_url + CALLBACK, body)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def timed_cases(context: Context) -> list[TimedCase]:
    state: dict = {}
    extra: dict = {
        "path": "bank push() → gunicorn (2 workers × 4 threads) → inquiry to the fake bank on 127.0.0.1",
    }
    extra_worker: dict = {}

    def setup() -> None:
        stack = state["stack"] = ExitStack()
        bank = state["bank"] = _with_bank(stack)
        sku = _stocked_sku(ITERATIONS + WARM_UP)
        bodies = []
        for _ in range(ITERATIONS + WARM_UP):
            order = _place(sku)
            bodies.append((order.pk, bank.pay(ref1=order.payments.get().ref1, amount=order.total)))
        state["bodies"] = bodies
        server = state["server"] = ExitStack()
        server.enter_context(served(context.base_url, env=_bank_env(bank), threads=4))
        _warm_up(context, [body for _pk, body in bodies[ITERATIONS:]])

    def callback(iteration: int) -> None:
        _pk, body = state["bodies"][iteration]
        status, answer = push(context.base_url + CALLBACK, body)
        assert status == 200, answer

    def stop_server() -> None:
        state.pop("server").close()
        requests = [path for _, path in state["bank"].state.requests]
        extra["inquiries"] = requests.count("/v1/payment/billpayment/inquiry")
        extra["token requests"] = requests.count("/v1/oauth/token")
        ids = list(
            BankTransfer.objects.filter(transaction_id__in=[body["transactionId"] for _, body in state["bodies"]])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        extra["transfers kept"] = len(ids)
        state["tasks"] = _settle_tasks(ids)

    def settle(iteration: int) -> None:
        _run_task(state["tasks"][iteration])

    def stop_bank() -> None:
        timed = [pk for pk, _ in state["bodies"]]
        paid = Order.objects.filter(pk__in=timed, status=Order.Status.PAID).count()
        extra_worker["orders paid"] = f"{paid} of {len(timed)}"
        state.pop("stack").close()

    return [
        TimedCase(
            "payments: bank callback over HTTP",
            callback,
            iterations=ITERATIONS,
            setup=setup,
            teardown=stop_server,
            goal="p95 < 100 ms (inquiry included)",
            extra=extra,
        ),
        TimedCase(
            "payments: worker task matches and pays",
            settle,
            iterations=ITERATIONS + WARM_UP,
            teardown=stop_bank,
            goal="(no goal: in the task queue)",
            extra=extra_worker,
        ),
    ]


def check_cases(context: Context) -> list[CheckCase]:
    return [
        CheckCase(
            f"payments: {DUPLICATES} concurrent duplicate callbacks for one order",
            lambda: _duplicates(context),
            goal="all answered 200; one transfer, one task, one confirmed payment, the order paid once",
        )
    ]


def _duplicates(context: Context) -> dict:
    with ExitStack() as stack:
        bank = _with_bank(stack)
        sku = _stocked_sku(WARM_UP + 1)
        warm = [_place(sku) for _ in range(WARM_UP)]
        warm_bodies = [bank.pay(ref1=placed.payments.get().ref1, amount=placed.total) for placed in warm]
        order = _place(sku)
        stack.enter_context(served(context.base_url, env=_bank_env(bank), threads=4))
        _warm_up(context, warm_bodies)
        body = bank.pay(ref1=order.payments.get().ref1, amount=order.total)
        asked_before = len(bank.state.requests)
        barrier = threading.Barrier(DUPLICATES)
        answers: list[tuple[int, float, int]] = []
        lock = threading.Lock()

        def send() -> None:
            barrier.wait()
            started = time.perf_counter()
            # As the bank does: a 503 (the inquiry could not be made) is sent again.
            for attempt in range(1, 6):  # noqa: B007 (the last attempt is reported)
                status, _answer = push(context.base_url + CALLBACK, body)
                if status != 503:
                    break
            with lock:
                answers.append((status, (time.perf_counter() - started) * 1000, attempt))

        threads = [threading.Thread(target=send) for _ in range(DUPLICATES)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        burst_ms = (time.perf_counter() - started) * 1000
        inquiries = [path for _, path in bank.state.requests[asked_before:]].count("/v1/payment/billpayment/inquiry")
    # The worker, after the burst: the queued task(s) for this transaction, run by the worker's code.
    transfers = list(BankTransfer.objects.filter(transaction_id=body["transactionId"]).values_list("pk", flat=True))
    tasks = _settle_tasks(transfers)
    for task in tasks:
        _run_task(task)
    # A second run of the matching (a task retried after a lost worker) must change nothing either.
    for pk in transfers:
        workers = [threading.Thread(target=_settle_in_thread, args=(pk,)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    close_old_connections()
    order.refresh_from_db()
    latencies = sorted(ms for _status, ms, _attempt in answers)
    statuses = sorted({status for status, _ms, _attempt in answers})
    figures = {
        "answers": f"{len(answers)} of {DUPLICATES}, statuses {statuses}, resent after 503: "
        f"{sum(attempt > 1 for *_rest, attempt in answers)}",
        "answer p50 / p95 / max ms": " / ".join(
            f"{latencies[min(len(latencies) - 1, round(p * (len(latencies) - 1)))]:.1f}" for p in (0.5, 0.95, 1.0)
        )
        if latencies
        else "—",
        "burst wall time ms": f"{burst_ms:.0f}",
        "inquiries to the bank": f"{inquiries} (the others answered from the kept transfer)",
        "transfers kept": len(transfers),
        "settle tasks queued": len(tasks),
        "payments confirmed": Payment.objects.filter(
            object_id=order.pk, content_type__model="order", status="confirmed"
        ).count(),
        "order status": order.status,
        "steps to paid": order.events.filter(to_status="paid").count(),
        "sale lines": SoldItem.objects.filter(reference=f"order:{order.number}").count(),
        "audit 'matched'": AuditEvent.objects.filter(
            action="payments.bank_transfer.matched", target_id__in=[str(pk) for pk in transfers]
        ).count(),
    }
    figures["ok"] = (
        len(answers) == DUPLICATES
        and statuses == [200]
        and figures["transfers kept"] == 1
        and figures["settle tasks queued"] == 1
        and figures["payments confirmed"] == 1
        and order.status == Order.Status.PAID
        and figures["steps to paid"] == 1
        and figures["sale lines"] == 1
        and figures["audit 'matched'"] == 1
    )
    return figures


def _settle_in_thread(transfer_id: int) -> None:
    try:
        payment_services.settle_bank_transfer(transfer_id=transfer_id)
    finally:
        connection.close()
