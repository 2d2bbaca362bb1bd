"""The reports' API gives the same figures as the pages, to those allowed to read them, and refuses bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from otop.reports import services
from otop.reports.rollup import roll_up_new_documents
from otop.reports.selectors import current_buddhist_year
from otop.reports.tests import oracle
from otop.reports.tests.shop import Shop, producer_in, product_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(db):
    shop = Shop()
    silk = product_of(producer_in(0), price="1250.00")
    rice = product_of(producer_in(5), price="89.50", category="food")
    for variant in (silk, rice):
        shop.stock(variant)
    shop.till_sale([(silk, 1, Decimal("10.00")), (rice, 2, Decimal("0"))], bill_discount=Decimal("3"))
    shop.refund(shop.order([(rice, 1)], channel="api"))
    shop.order([(silk, 2)], channel="line")
    roll_up_new_documents()
    services.set_target(year=current_buddhist_year(), scope="center", dimension="channel", key="line",
                        amount="5000", actor=None)  # fmt: skip
    return shop


@pytest.mark.parametrize("group", ["district", "category", "channel", "producer", "month"])
def test_sales_grouped_any_way_add_up_to_the_raw_lines(sold, client, group):
    client.force_login(sold.manager)
    response = client.get("/api/v1/reports/sales", {"year": current_buddhist_year(), "group_by": group})
    assert response.status_code == 200
    body = response.json()
    total = sum(oracle.net_by_day_and_channel().values(), Decimal(0))
    assert Decimal(body["net"]) == total
    assert sum(Decimal(row["net"]) for row in body["rows"]) == total
    assert Decimal(body["vat"]) == oracle.vat_total()


def test_sales_by_channel_carry_their_target(sold, client):
    client.force_login(sold.manager)
    body = client.get("/api/v1/reports/sales", {"year": current_buddhist_year(), "group_by": "channel"}).json()
    line = next(row for row in body["rows"] if row["key"] == "line")
    assert (Decimal(line["net"]), Decimal(line["target"])) == (Decimal("2500.00"), Decimal("5000.00"))
    assert [row["key"] for row in body["rows"]][0] == "line"  # ranked by sales


@pytest.mark.parametrize(
    "query",
    [{}, {"year": "abc"}, {"year": 1999}, {"year": 2569, "group_by": "buyer"}, {"year": 2569, "first_month": 13},
     {"year": 2569, "channel": "x'; drop"}],
)  # fmt: skip
def test_bad_queries_are_400_in_the_error_format(sold, client, query):
    client.force_login(sold.manager)
    response = client.get("/api/v1/reports/sales", query)
    assert response.status_code == 400
    assert "error" in response.json()


def test_targets_of_a_year(sold, client):
    client.force_login(sold.manager)
    body = client.get("/api/v1/reports/targets", {"year": current_buddhist_year()}).json()
    assert body == [{"year": current_buddhist_year(), "month": 0, "scope": "center", "dimension": "channel",
                     "key": "line", "amount": "5000.00", "note": ""}]  # fmt: skip
