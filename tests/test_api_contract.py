"""schemathesis (an OpenAPI fuzzer) against /api/v1/openapi.json with a manager's bearer token, every
check on (`--checks all`): no server error, every status documented with its error schema, every
answer conforming to its schema, schema-valid requests accepted and invalid ones refused.

It runs on the demo center (a small one) on SQLite and on PostgreSQL, with a fixed seed (hypothesis
derandomized) and a bounded number of examples per operation, so that it fits the CI budget;
API_FUZZ_EXAMPLES raises the number for a longer run by hand.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from otop.accounts.services import issue_api_token
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.pos import services as pos_services
from otop.pos.tests.factories import RegisterFactory
from otop.producers.tests.factories import ProducerFactory
from otop.search.tests.factories import listed_product
from otop.selection.tests.factories import ApplicationFactory
from otop.workspace import demo as workspace_demo

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def demo_center(db, make_user):
    """A small center (built in well under a second, since each operation is its own test): products in
    stock, an open shift, the meeting room, a producer's application; and a manager's bearer token."""
    manager = make_user("manager", username="manager")
    cashier = make_user("cashier", username="cashier")
    producer = ProducerFactory(user=make_user("producer", username="producer", phone="0812345678"))
    ApplicationFactory(producer=producer)
    online, shop_floor = stock_selectors.location("online"), stock_selectors.location("shop")
    for number in range(3):
        variant = listed_product(name_th=f"ผ้าไหม {number}", price="350.00", sku=f"SILK-{number}").variants.get()
        stock_services.receive_stock(variant=variant, location=online, quantity=20, actor=None)
        stock_services.receive_stock(variant=variant, location=shop_floor, quantity=20, actor=None)
    shop = RegisterFactory()
    pos_services.open_shift(register=shop, actor=cashier, starting_cash=Decimal("500.00"))
    pos_services.reserve_number_block(register=shop, device_id="schemathesis", actor=cashier)
    workspace_demo.seed(products=0, seed=1)
    _token, key = issue_api_token(user=manager, name="schemathesis")
    # The WSGI handler closes the database connection after each request; the test's transaction needs it
    # open (Django's test client disconnects the same handler).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema is built from the code (no database needed), so it is loaded when the tests are collected.
contract = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Every built-in check, as `--checks all` on the command line.
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not isinstance(check, type)]


@contract.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, demo_center):
    case.call_and_validate(headers={"Authorization": f"Bearer {demo_center}"}, checks=ALL_CHECKS)
