"""The daily rollup equals the raw lines of every channel, however sales, returns, voids and refunds mix."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from otop.catalog.models import Category, Product
from otop.core.periodic import all_jobs
from otop.inventory.models import SoldItem
from otop.pos.models import Sale, SaleReturn
from otop.reports.models import DailySales, MonthlySales, ProductMonthSales, RollupCursor
from otop.reports.rollup import remembered, roll_up_new_documents
from otop.reports.tests import oracle
from otop.reports.tests.shop import Shop, basket_of, producer_in, product_of

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def rollup_by_day_and_channel() -> dict:
    return {
        (row["day"], row["channel"]): row["net"]
        for row in DailySales.objects.values("day", "channel").annotate(net=Sum("net"))
        if row["net"]
    }


def rollup_gross_by(field: str) -> dict:
    rows = DailySales.objects.exclude(producer_id=0).values(field).annotate(gross=Sum("gross"))
    return {row[field]: row["gross"] for row in rows if row["gross"]}


def assert_rollup_matches_raw() -> None:
    assert rollup_by_day_and_channel() == oracle.net_by_day_and_channel()
    assert (DailySales.objects.aggregate(v=Sum("vat"))["v"] or 0) == oracle.vat_total()
    assert rollup_gross_by("district_code") == oracle.goods_gross_by("product__producer__district_id")
    assert rollup_gross_by("category_id") == oracle.goods_gross_by("product__category_id")
    assert rollup_gross_by("producer_id") == oracle.goods_gross_by("product__producer_id")
    by_product = ProductMonthSales.objects.aggregate(n=Sum("net"), q=Sum("quantity"))
    daily = DailySales.objects.aggregate(n=Sum("net"), q=Sum("quantity"))
    assert (by_product["n"], by_product["q"]) == (daily["n"], daily["q"])
    cells = ("channel", "category_id", "district_code", "producer_id")
    sums = {"n": Sum("net"), "v": Sum("vat"), "g": Sum("gross"), "r": Sum("returns"), "q": Sum("quantity")}
    assert sorted(MonthlySales.objects.values(*cells).annotate(**sums).values_list(*cells, *sums)) == sorted(
        DailySales.objects.values(*cells).annotate(**sums).values_list(*cells, *sums)
    )


@pytest.fixture
def shop(db):
    shop = Shop()
    shop.silk = product_of(producer_in(0), price="1250.00")
    shop.rice = product_of(producer_in(3), price="89.50", category="food")
    shop.lamp = product_of(producer_in(7), price="333.33", category="household")
    for variant in (shop.silk, shop.rice, shop.lamp):
        shop.stock(variant)
    return shop


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("till"),
            st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4), st.integers(0, 5)), min_size=1, max_size=3),
            st.integers(0, 3),
            st.booleans(),
        ),
        st.tuples(st.just("void"), st.integers(0, 20)),
        st.tuples(
            st.just("return"),
            st.integers(0, 20),
            st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), min_size=1, max_size=2),
        ),
        st.tuples(st.just("order"), st.integers(0, 2), st.integers(1, 3), st.sampled_from(["web", "line", "api"])),
        st.tuples(st.just("refund"), st.integers(0, 20)),
        st.tuples(st.just("room"), st.integers(1, 900)),
        st.tuples(st.just("rollup")),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
@example(  # partial refunds of a discounted sale, one rolled up before the void of the rest, one of a sale kept
    operations=[("till", [(0, 3, 5), (1, 4, 0), (2, 2, 1)], 3, False), ("till", [(1, 2, 0), (3, 1, 0)], 0, True),
                ("return", 0, [(0, 1), (1, 3)]), ("rollup",), ("return", 1, [(1, 1)]), ("return", 0, [(2, 1)]),
                ("void", 0)]
)  # fmt: skip
def test_rollup_equals_raw_lines_after_any_mix_of_sales_returns_voids_and_refunds(shop, operations):
    goods = [shop.silk, shop.rice, shop.lamp, None]  # None: the tea corner's menu item
    sales, orders = [], []
    for operation in operations:
        kind = operation[0]
        if kind == "till":
            _kind, lines, bill_discount, tea = operation
            chosen = [(goods[index], quantity, Decimal(discount)) for index, quantity, discount in lines]
            sales.append(shop.till_sale(chosen, bill_discount=Decimal(bill_discount), tea=tea))
        elif kind == "void" and sales:
            sale = sales.pop(operation[1] % len(sales))
            shop.void(sale)
        elif kind == "return" and sales:
            shop.partial_refund(sales[operation[1] % len(sales)], operation[2])
            sales = [sale for sale in sales if Sale.objects.get(pk=sale.pk).status == Sale.Status.COMPLETED]
        elif kind == "order":
            _kind, index, quantity, channel = operation
            orders.append(shop.order([(goods[index], quantity)], channel=channel))
        elif kind == "refund" and orders:
            shop.refund(orders.pop(operation[1] % len(orders)))
        elif kind == "room":
            shop.room_payment(Decimal(operation[1]))
        elif kind == "rollup":
            roll_up_new_documents()
    roll_up_new_documents()
    assert_rollup_matches_raw()
    # Running again adds nothing: each document is added once.
    before = list(DailySales.objects.order_by("pk").values_list("net", "quantity"))
    assert roll_up_new_documents() == 0
    assert list(DailySales.objects.order_by("pk").values_list("net", "quantity")) == before


def _cells(model, *fields) -> dict:
    """Sums per cell over the days or months, to the satang (SQLite sums stored money as binary floats)."""
    sums = {name: Sum(name) for name in fields}
    names = {field.name for field in model._meta.fields}
    keys = [name for name in ("channel", "category_id", "district_code", "producer_id", "product_id") if name in names]
    return {tuple(row[key] for key in keys): tuple(round(row[name], 2) for name in fields)
            for row in model.objects.values(*keys).annotate(**sums)}  # fmt: skip


def test_a_partial_refund_comes_off_on_its_day_and_a_void_of_the_rest_leaves_every_cell_at_zero(shop):
    now = timezone.now()
    honey = product_of(producer_in(1), price="120.00", category="food")
    soap = product_of(producer_in(2), price="80.00", category="herbal")
    basket = basket_of(producer_in(4), [(honey, 2), (soap, 1)], price="299.00")
    for variant in (honey, soap):
        shop.stock(variant, 50)
    # A bill discount spread over the lines, a line discount, a gift basket split over its components.
    sale = shop.till_sale(
        [(shop.silk, 3, Decimal("5.00")), (shop.rice, 4, Decimal("0")), (basket, 2, Decimal("0"))],
        bill_discount=Decimal("3.00"),
    )
    roll_up_new_documents()
    sold = _cells(DailySales, "net", "quantity")
    # Two of the three silks and one basket come back the next day.
    assert shop.partial_refund(sale, [(0, 2), (2, 1)], now=now + timedelta(days=1))
    assert roll_up_new_documents() == 1
    refund = SaleReturn.objects.get(sale=sale)
    next_day = DailySales.objects.filter(day=(now + timedelta(days=1)).astimezone(BANGKOK).date())
    assert next_day.aggregate(n=Sum("net"))["n"] == -refund.amount
    assert next_day.aggregate(r=Sum("returns"))["r"] == refund.amount
    assert next_day.aggregate(v=Sum("vat"))["v"] == -refund.credit_note.vat
    silk = next_day.get(producer_id=shop.silk.product.producer_id)
    assert (silk.quantity, silk.gross, silk.documents) == (-2, Decimal("-2500.00"), 0)
    assert set(next_day.values_list("producer_id", flat=True)) == {
        shop.silk.product.producer_id, honey.product.producer_id, soap.product.producer_id
    }  # fmt: skip
    assert ProductMonthSales.objects.get(product_id=honey.product_id).quantity == 4 - 2
    # (The oracle's shelf values leave gift baskets out: only its money by day and its VAT are compared here.)
    assert rollup_by_day_and_channel() == oracle.net_by_day_and_channel()
    assert DailySales.objects.aggregate(v=Sum("vat"))["v"] == oracle.vat_total()
    # The rest is voided two days on: every cell, summed over the days, is back at exactly zero.
    shop.void(sale, now=now + timedelta(days=2))
    assert roll_up_new_documents() == 1
    assert rollup_by_day_and_channel() == oracle.net_by_day_and_channel()
    # (SQLite sums its stored money as binary floats across rows: to the satang.)
    assert round(DailySales.objects.aggregate(v=Sum("vat"))["v"], 2) == oracle.vat_total() == 0
    money = ("quantity", "gross", "discount", "net", "vat", "documents")
    for model in (DailySales, MonthlySales):
        cells = _cells(model, *money, "returns")
        assert cells.keys() == sold.keys()
        assert all(values[:-1] == (0,) * len(money) for values in cells.values()), cells
        assert sum(values[-1] for values in cells.values()) == sum(net for net, _q in sold.values())
    products = _cells(ProductMonthSales, "quantity", "net", "vat")
    assert all(values == (0, 0, 0) for values in products.values()), products
    # A rebuild gives the same rows.
    rows = _every_rollup_row()
    call_command("rebuild_sales_rollup")
    assert _every_rollup_row() == rows


def test_rebuild_gives_the_same_rollup_as_the_running_job(shop):
    first = shop.till_sale([(shop.silk, 2, Decimal("50.00")), (None, 3, Decimal("0"))], bill_discount=Decimal("7"))
    shop.till_sale([(shop.rice, 5, Decimal("0"))], tea=True)
    shop.void(first)
    paid = shop.order([(shop.lamp, 2)], channel="line")
    shop.refund(paid)
    shop.order([(shop.silk, 1)], channel="api")
    shop.room_payment(Decimal("600.00"))
    roll_up_new_documents()
    running = sorted(DailySales.objects.values_list("day", "channel", "producer_id", "net", "vat", "quantity"))
    call_command("rebuild_sales_rollup")
    assert sorted(DailySales.objects.values_list("day", "channel", "producer_id", "net", "vat", "quantity")) == running
    today = running[0][0]
    call_command("rebuild_sales_rollup", "--from", today.isoformat())
    assert sorted(DailySales.objects.values_list("day", "channel", "producer_id", "net", "vat", "quantity")) == running
    assert len(remembered()) == 7
    assert_rollup_matches_raw()


def test_a_basket_counts_for_its_components_producers_as_their_settlements_do(shop):
    honey = product_of(producer_in(1), price="120.00", category="food")
    soap = product_of(producer_in(2), price="80.00", category="herbal")
    basket = basket_of(producer_in(4), [(honey, 2), (soap, 1)], price="299.00")
    for variant in (honey, soap):
        shop.stock(variant, 50)
    shop.till_sale([(basket, 3, Decimal("0"))])
    shop.order([(basket, 1)])
    roll_up_new_documents()
    per_producer = defaultdict(Decimal)
    for item in SoldItem.objects.filter(kind="sale"):
        per_producer[item.producer_id] += item.amount
    rolled = dict(DailySales.objects.values("producer_id").annotate(n=Sum("net")).values_list("producer_id", "n"))
    assert rolled == dict(per_producer)
    assert sum(rolled.values()) == Decimal("1196.00")
    assert basket.product.producer_id not in rolled
    quantities = dict(
        ProductMonthSales.objects.values("product_id").annotate(q=Sum("quantity")).values_list("product_id", "q")
    )
    assert quantities == {honey.product_id: 8, soap.product_id: 4}


def test_discounts_and_vat_are_shown_both_ways(shop):
    shop.till_sale([(shop.silk, 1, Decimal("250.00"))])
    roll_up_new_documents()
    row = DailySales.objects.get()
    assert (row.gross, row.discount, row.net, row.vat) == (
        Decimal("1250.00"), Decimal("250.00"), Decimal("1000.00"), Decimal("65.42"),
    )  # fmt: skip
    assert row.net - row.vat == Decimal("934.58")


def test_a_sale_committed_after_later_ids_is_still_added_within_the_look_back(shop):
    sale = shop.till_sale([(shop.rice, 1, Decimal("0"))])
    # As if sales with higher ids had committed and been rolled up before this one.
    RollupCursor.objects.update_or_create(source="till_sale", defaults={"last_id": sale.pk + 10})
    assert roll_up_new_documents() == 1
    assert DailySales.objects.get().net == Decimal("89.50")
    assert RollupCursor.objects.get(source="till_sale").last_id == sale.pk + 10


def test_the_rollup_runs_every_minute_from_the_clock():
    (job,) = [job for job in all_jobs() if job.name == "sales rollup"]
    assert job.every.total_seconds() == 60
    assert job.run is roll_up_new_documents


def _every_rollup_row() -> list:
    daily = sorted(DailySales.objects.values_list(*DailySales.ROW_FIELDS))
    monthly = sorted(MonthlySales.objects.values_list(*MonthlySales.ROW_FIELDS))
    products = sorted(ProductMonthSales.objects.values_list(*ProductMonthSales.ROW_FIELDS))
    return [daily, monthly, products, remembered()]


def test_till_sales_summed_by_the_database_equal_the_python_sums_to_the_satang(shop, monkeypatch):
    # VAT shares that round differently line by line; a tea-corner sale; a voided sale; a line discount.
    shop.till_sale([(shop.lamp, 1, Decimal("0")), (shop.lamp, 2, Decimal("0")), (shop.rice, 3, Decimal("0.01"))])
    shop.till_sale([(shop.silk, 1, Decimal("0")), (None, 2, Decimal("0"))], tea=True)
    voided = shop.till_sale([(shop.rice, 7, Decimal("0")), (shop.lamp, 1, Decimal("33.33"))])
    shop.till_sale([(shop.silk, 3, Decimal("1.00")), (shop.rice, 1, Decimal("0")), (shop.silk, 1, Decimal("0"))])
    shop.void(voided)
    assert roll_up_new_documents() == 5
    in_sql = _every_rollup_row()
    assert DailySales.objects.filter(channel="tea").exists()
    with monkeypatch.context() as patch:
        patch.setattr("otop.reports.rollup.SQL_SALE_LIMIT", 0)  # no sale is summed by the database
        call_command("rebuild_sales_rollup")
        in_python = _every_rollup_row()
    assert in_sql == in_python
    assert_rollup_matches_raw()


def test_a_sale_and_its_voids_added_to_one_cell_leave_exactly_zero():
    """0.10 + 0.20 - 0.10 - 0.20 in binary floats is 2.8e-17: the cell must read zero to the satang."""
    from datetime import date

    from otop.reports.rollup import DAILY_KEY, DAILY_SUMS, _upsert

    key = (date(2026, 12, 6), "tea", 0, "", 0)

    def add(net: str) -> None:
        amount = Decimal(net)
        _upsert(
            DailySales, DAILY_KEY, (), DAILY_SUMS, [(*key, 1, amount, Decimal(0), amount, Decimal(0), Decimal(0), 1)]
        )

    for net in ("0.10", "0.20", "-0.10", "-0.20"):
        add(net)
    assert DailySales.objects.aggregate(n=Sum("net"))["n"] == 0
    assert DailySales.objects.get().net == 0
    add("1370.55")
    assert DailySales.objects.aggregate(n=Sum("net"))["n"] == Decimal("1370.55")


def test_a_line_counts_under_the_product_producer_and_district_it_was_sold_under(shop):
    plain = shop.till_sale([(shop.rice, 3, Decimal("0")), (shop.lamp, 1, Decimal("0"))])  # summed by the database
    discounted = shop.till_sale(
        [(shop.rice, 2, Decimal("0")), (shop.silk, 1, Decimal("0"))], bill_discount=Decimal("9")
    )
    for sale in (plain, discounted):
        lines = list(sale.lines.all())
        assert sum(line.vat for line in lines) == sale.vat  # each line's share of the sale's VAT, adding up
    rice = plain.lines.get(variant=shop.rice)
    producer = shop.rice.product.producer
    assert (rice.product_id, rice.category_id, rice.producer_id, rice.district_code) == (
        shop.rice.product_id, shop.rice.product.category_id, producer.pk, producer.district_id,
    )  # fmt: skip
    # The rice moves to another producer and category after it was sold: what was sold stays where it was.
    Product.objects.filter(pk=shop.rice.product_id).update(
        producer=producer_in(9), category=Category.objects.get(code="herbal")
    )
    roll_up_new_documents()
    rows = _every_rollup_row()
    rice_rows = DailySales.objects.filter(producer_id=producer.pk)
    assert rice_rows.aggregate(q=Sum("quantity"))["q"] == 5
    assert set(rice_rows.values_list("category_id", "district_code")) == {
        (shop.rice.product.category_id, producer.district_id)
    }  # fmt: skip
    call_command("rebuild_sales_rollup")
    assert _every_rollup_row() == rows
