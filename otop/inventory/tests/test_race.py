"""Concurrent buyers of the last units, with real threads and their own database connections."""

import threading

import pytest
from django.db import close_old_connections, connection

from otop.inventory import selectors, services
from otop.inventory.errors import OutOfStock
from otop.inventory.ledger import ledger_mismatches
from otop.inventory.models import StockLevel, StockMove
from otop.inventory.tests.factories import VariantFactory

BUYERS = 40
UNITS = 10


def run_concurrently(action, count):
    barrier = threading.Barrier(count)
    outcomes = []
    lock = threading.Lock()

    def buyer(number):
        try:
            barrier.wait()
            try:
                action(number)
                outcome = "sold"
            except OutOfStock as error:
                outcome = ("refused", error.shortages[0].sku)
            except Exception as error:  # noqa: BLE001 - any other failure is a test failure, reported below
                outcome = ("error", repr(error))
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("channel", ["web", "counter", "mixed"])
def test_forty_buyers_of_ten_units_buy_exactly_ten(channel):
    variant = VariantFactory()
    shop = selectors.location("shop")
    services.receive_stock(variant=variant, location=shop, quantity=UNITS, actor=None)

    def buy(number):
        if channel == "web" or (channel == "mixed" and number % 2):
            reservation = services.reserve_stock(items=[(variant.pk, 1)], reference=f"order:{number}", expires_at=None)
            services.commit_reservation(reservation=reservation)
        else:
            services.sell_now(items=[(variant.pk, 1)], location=shop, actor=None, reference=f"pos:{number}")

    outcomes = run_concurrently(buy, BUYERS)
    errors = [o for o in outcomes if o != "sold" and o[0] == "error"]
    assert errors == []
    assert outcomes.count("sold") == UNITS
    assert outcomes.count(("refused", variant.sku)) == BUYERS - UNITS
    level = StockLevel.objects.get(variant=variant, location=shop)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert StockMove.objects.filter(reason="sale").count() == UNITS
    assert ledger_mismatches() == []
