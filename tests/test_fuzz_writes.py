"""A fixed corpus of hostile input against every write endpoint of the API, on the demo center.

For each endpoint a valid request is mutated field by field (and as a whole): NUL characters, lone
UTF-16 surrogates, strings far longer than their column, decimal exponents and 0.001 baht, huge and
negative numbers, wrong types, datetimes without an offset, hostile path segments. Every answer must be
below 500, every refusal in the error format, and a refused request must leave no row behind.
It runs on SQLite and on PostgreSQL like the rest of the suite; the corpus is fixed, so it is
deterministic and its cost is bounded.
"""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from otop.accounts.models import User
from otop.accounts.services import issue_api_token
from otop.demo.services import seed_demo
from otop.inventory import selectors as stock_selectors
from otop.pos import services as pos_services
from otop.pos.models import Register, Shift
from otop.selection.models import Application

HOSTILE: list[Any] = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 5000,
    "ผ้าไหม" * 2000,
    "1e20",
    "0.001",
    "NaN",
    "-Infinity",
    "-1",
    "",
    " ",
    None,
    True,
    0,
    -1,
    2**63,
    2**70,
    -(2**70),
    1e308,
    0.001,
    [],
    {},
    [[["deep"]]],
    "2026-11-10T10:00:00",
    "9999-12-31T23:59:59-14:00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
]
HOSTILE_PATHS = ["%00", "9" * 40, "-1", "0", "%E0%B8%81", "..%2F..", "x" * 300, "%ED%A0%80"]
RAW_BODIES = ['{"a": 1', "[]", '"text"', "null", "1e999", '{"\\ud800": 1}', "\xff\xfe", ""]
# Written by design even when an action is refused: the audit log records wrong PINs, alerts are queued.
NOT_COUNTED = {"core.auditevent", "notifications.outboundmessage", "pos.pricelist"}


def table_counts() -> tuple[int, ...]:
    """Rows in every table of the project's apps, in one query."""
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("otop.") and model._meta.label_lower not in NOT_COUNTED
    ]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class Endpoint:
    method: str
    path: str
    token: str | None
    body: dict | None = None
    path_params: dict[str, str] = field(default_factory=dict)


def leaves(value: Any, prefix: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        paths = [prefix] if prefix else []
        for key, item in value.items():
            paths += leaves(item, (*prefix, key))
        return paths
    if isinstance(value, list):
        paths = [prefix]
        for index, item in enumerate(value):
            paths += leaves(item, (*prefix, index))
        return paths
    return [prefix]


def replaced(body: Any, path: tuple, value: Any, *, delete: bool = False) -> Any:
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    if delete and isinstance(target, dict):
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return body


def mutations(endpoint: Endpoint) -> list[tuple[str, str, str]]:
    """(path, raw body, what) for the endpoint: each field replaced by a few hostile values and removed,
    the whole body replaced by broken JSON, and each path parameter replaced by hostile segments."""
    base_path = endpoint.path.format(**endpoint.path_params)
    cases = [(base_path, json.dumps(endpoint.body) if endpoint.body is not None else "", "as it should be")]
    corpus = itertools.cycle(range(len(HOSTILE)))
    if endpoint.body is not None:
        for path in leaves(endpoint.body):
            for _ in range(5):
                value = HOSTILE[next(corpus)]
                cases.append((base_path, json.dumps(replaced(endpoint.body, path, value)), f"{path}={value!r:.40}"))
            cases.append((base_path, json.dumps(replaced(endpoint.body, path, None, delete=True)), f"{path} removed"))
        for raw in RAW_BODIES:
            cases.append((base_path, raw, f"body {raw!r}"))
    for name in endpoint.path_params:
        for segment in HOSTILE_PATHS:
            params = {**endpoint.path_params, name: segment}
            body = json.dumps(endpoint.body) if endpoint.body is not None else ""
            cases.append((endpoint.path.format(**params), body, f"{name}={segment}"))
    return cases


@pytest.fixture
def world(db):
    """The demo center, with a token per role and the ids the endpoints need."""
    seed_demo(products=12)
    tokens = {
        name: issue_api_token(user=User.objects.get(username=name), name="fuzz")[1]
        for name in ("manager", "cashier", "producer", "committee1")
    }
    cashier = User.objects.get(username="cashier")
    shop = Register.objects.get(code="shop")
    shift = Shift.objects.filter(register=shop, status=Shift.Status.OPEN).first() or pos_services.open_shift(
        register=shop, actor=cashier, starting_cash=500
    )
    pos_services.reserve_number_block(register=shop, device_id="fuzz", actor=cashier)
    variant = next(
        level.variant
        for level in stock_selectors.stock_levels(query="", location_code="shop")
        if level.available > 5 and not level.variant.product.is_basket
    )
    sale = pos_services.record_sale(
        register=shop,
        actor=cashier,
        data=pos_services.SaleInput(
            device_sale_id=uuid.uuid4(), shift_id=shift.pk, receipt_number=pos_services.reserve_number_block(
                register=shop, device_id="fuzz", actor=cashier).blocks[0].first_number,
            lines=[pos_services.LineInput(variant_id=variant.pk, quantity=1, unit_price=variant.price)],
            payments=[pos_services.PaymentInput(method="cash", amount=variant.price)],
        ),
    ).sale  # fmt: skip
    application = Application.objects.filter(status=Application.Status.UNDER_REVIEW).first()
    online = next(
        level.variant
        for level in stock_selectors.stock_levels(query="", location_code="online")
        if level.available > 2 and not level.variant.product.is_basket
    )
    pickup = {"items": [{"sku": online.sku, "qty": 1}], "customer": {"name": "สมชาย", "phone": "0812345678"},
              "delivery": {"method": "pickup"}, "payment_method": "promptpay"}  # fmt: skip
    placed = Client(REMOTE_ADDR="198.19.0.1").post("/api/v1/orders", pickup, content_type="application/json").json()
    order = {"number": placed["number"], "token": parse_qs(urlsplit(placed["tracking_url"]).query)["token"][0]}
    return {"tokens": tokens, "shift": shift, "variant": variant, "sale": sale, "application": application,
            "order": order}  # fmt: skip


def endpoints(world: dict) -> list[Endpoint]:
    tokens, variant = world["tokens"], world["variant"]
    day = timezone.localdate() + timedelta(days=7)
    order = {
        "items": [{"sku": variant.sku, "qty": 1}],
        "customer": {"name": "สมชาย", "phone": "0812345678", "email": "somchai@example.com"},
        "delivery": {"method": "parcel", "address": {"line1": "1 ถนนมิตรภาพ", "subdistrict": "ในเมือง",
                                                     "district": "เมืองขอนแก่น", "province": "ขอนแก่น",
                                                     "postcode": "40000"}},
        "payment_method": "promptpay",
    }  # fmt: skip
    sale = {
        "register_code": "shop", "device_sale_id": str(uuid.uuid4()), "shift_id": world["shift"].pk,
        "receipt_number": world["sale"].receipt_number + 1, "sold_at": timezone.now().isoformat(),
        "lines": [{"variant_id": variant.pk, "quantity": 1, "unit_price": str(variant.price), "discount": "0.00",
                   "modifiers": {}}],
        "payments": [{"method": "cash", "amount": str(variant.price), "tendered": None, "reference": ""}],
        "bill_discount": "0.00", "recorded_offline": False, "approval_pin": "", "price_list": "",
    }  # fmt: skip
    application_id = str(world["application"].pk)
    criteria = {criterion: 4 for criterion in ("quality", "story")}
    return [
        Endpoint("POST", "/api/v1/orders", None, order),
        Endpoint("POST", "/api/v1/orders", tokens["manager"], order),
        Endpoint("POST", "/api/v1/orders/track", None, {"number": "OTOP-2569-000001", "phone": "0812345678"}),
        Endpoint("POST", "/api/v1/workspace/bookings", None, {
            "space": "meeting-room", "starts_at": f"{day}T10:00:00+07:00", "ends_at": f"{day}T11:00:00+07:00",
            "name": "สมชาย", "phone": "0812345678", "email": "somchai@example.com", "purpose": "ประชุม",
            "attendees": 2}),  # fmt: skip
        Endpoint("POST", "/api/v1/workspace/bookings/{token}/cancel", None, None, {"token": "x" * 43}),
        Endpoint("PATCH", "/api/v1/producers/me", tokens["producer"], {"name_en": "Weavers", "phone": "0812345679",
                                                                        "email": "weavers@example.com"}),
        Endpoint("POST", "/api/v1/applications", tokens["producer"], {
            "category": "food", "name_th": "ข้าวเกรียบ", "name_en": "", "proposed_price": "45.00",
            "description_th": "กรอบ", "story_th": "", "sample_delivered": False, "certification_ids": []}),
        Endpoint("POST", "/api/v1/applications/{id}/scores", tokens["committee1"],
                 {"scores": criteria, "comment": "ดี"}, {"id": application_id}),
        Endpoint("POST", "/api/v1/applications/{id}/decision", tokens["committee1"],
                 {"outcome": "approve", "reason": "ผ่านเกณฑ์"}, {"id": application_id}),
        Endpoint("POST", "/api/v1/pos/registers/{code}/shifts", tokens["cashier"], {"starting_cash": "500.00"},
                 {"code": "tea"}),
        Endpoint("POST", "/api/v1/pos/registers/{code}/number-blocks", tokens["cashier"], {"device_id": "fuzz-2"},
                 {"code": "shop"}),
        Endpoint("POST", "/api/v1/pos/sales", tokens["cashier"], sale),
        Endpoint("POST", "/api/v1/pos/sales/{id}/void", tokens["cashier"],
                 {"reason": "ลูกค้าเปลี่ยนใจ", "manager_pin": "000000"}, {"id": str(world["sale"].pk)}),
        Endpoint("POST", "/api/v1/pos/sales/{id}/print", tokens["cashier"], None, {"id": str(world["sale"].pk)}),
        Endpoint("POST", "/api/v1/pos/sales/{id}/refund-lines", tokens["cashier"],
                 {"lines": [{"line_id": world["sale"].lines.get().pk, "quantity": 1}], "reason": "ชำรุด",
                  "manager_pin": "000000"}, {"id": str(world["sale"].pk)}),
        Endpoint("POST", "/api/v1/orders/{number}/tax-invoice?token={token}", None,
                 {"name": "บริษัท ตะกร้าของขวัญ จำกัด", "address": "ขอนแก่น 40000", "tax_id": "0105551234567",
                  "branch": "00001"}, world["order"]),
        Endpoint("POST", "/api/v1/pos/shifts/{id}/close", tokens["cashier"], {"counted_cash": "500.00"},
                 {"id": str(world["shift"].pk)}),
    ]  # fmt: skip


def test_no_write_endpoint_answers_5xx_or_keeps_a_refused_request(world):
    client = Client()
    problems = []
    sent = 0
    for endpoint in endpoints(world):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {endpoint.token}"} if endpoint.token else {}
        for number, (path, body, what) in enumerate(mutations(endpoint)):
            # Each request from its own address, so that the per-client throttles let the corpus through.
            headers["REMOTE_ADDR"] = f"198.18.{number // 250}.{number % 250 + 1}"
            before = table_counts()
            data = body.encode("utf-8", "surrogatepass") if body else b""
            response = client.generic(endpoint.method, path, data, content_type="application/json", **headers)
            sent += 1
            label = f"{endpoint.method} {endpoint.path} [{what}] → {response.status_code}"
            if response.status_code >= 500:
                problems.append(label + " server error")
                continue
            if response.status_code >= 400:
                try:
                    error = response.json()["error"]
                    assert set(error) == {"code", "message", "fields"} and error["message"]
                except (ValueError, KeyError, TypeError, AssertionError):
                    problems.append(label + f" not in the error format: {response.content[:120]!r}")
                if table_counts() != before:
                    problems.append(label + " left rows behind")
    assert sent > 500
    assert not problems, "\n".join(problems)
