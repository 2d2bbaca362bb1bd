"""The dashboard, its drill-down and exports show the rollup's figures, which equal the raw lines."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from otop.accounts.services import create_user
from otop.producers.models import Producer
from otop.reports import services
from otop.reports.charts import map_classes
from otop.reports.models import DailySales, OutsideSales, Target
from otop.reports.rollup import roll_up_new_documents
from otop.reports.selectors import current_buddhist_year
from otop.reports.tests import oracle
from otop.reports.tests.shop import Shop, producer_in, product_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(db):
    shop = Shop()
    shop.silk = product_of(producer_in(0, name_th="กลุ่มทอผ้าไหมบ้านเมืองเก่า"), price="1250.00")
    shop.rice = product_of(producer_in(3), price="89.50", category="food")
    for variant in (shop.silk, shop.rice):
        shop.stock(variant)
    first = shop.till_sale([(shop.silk, 2, Decimal("50.00")), (shop.rice, 3, Decimal("0"))], bill_discount=Decimal("9"))
    shop.till_sale([(shop.rice, 1, Decimal("0")), (None, 2, Decimal("0"))], tea=True)
    shop.void(shop.till_sale([(shop.silk, 1, Decimal("0"))]))
    shop.refund(shop.order([(shop.rice, 4)], channel="line"))
    shop.order([(shop.silk, 1)], channel="web")
    shop.room_payment(Decimal("600.00"))
    roll_up_new_documents()
    services.set_target(year=current_buddhist_year(), scope="center", dimension="total", amount="100000", actor=None,
                        note="เป้าหมายทดสอบ")  # fmt: skip
    shop.first = first
    return shop


def test_every_dashboard_figure_equals_an_independent_sum_over_raw_lines(sold, client):
    client.force_login(sold.manager)
    response = client.get("/reports/")
    assert response.status_code == 200
    raw = oracle.net_by_day_and_channel()
    total = sum(raw.values(), Decimal(0))
    context = response.context
    assert context["summary"].net == total
    assert {row.key: row.net for row in context["channels"] if row.net} == {
        channel: sum(value for (_day, c), value in raw.items() if c == channel) for channel in {c for _d, c in raw}
    }
    districts = {row.key: row.net for row in context["districts"] if row.net}
    assert sum(districts.values()) == total
    assert len([row for row in context["districts"] if row.key not in ("", "other")]) == 26
    assert context["summary"].vat == oracle.vat_total()
    assert sum(row.net for row in context["categories"]) == total
    assert sum(row.net for row in context["months"]) == total
    assert context["summary"].target == Decimal("100000.00")
    assert "เป้าหมายทดสอบ" in response.content.decode()
    assert b"<script" not in response.content.split(b"<main")[1]
    # Figures only: no buyer's name or phone anywhere.
    assert "ลูกค้า ทดสอบ" not in response.content.decode() and "0812223333" not in response.content.decode()


def test_the_dashboard_filters_by_channel_and_district(sold, client):
    client.force_login(sold.manager)
    raw = oracle.net_by_day_and_channel()
    response = client.get("/reports/", {"channel": "tea"})
    assert response.context["summary"].net == sum(v for (_d, c), v in raw.items() if c == "tea")
    district = sold.silk.product.producer.district_id
    response = client.get("/reports/", {"district": district})
    assert (
        response.context["summary"].net
        == DailySales.objects.filter(district_code=district).aggregate(n=Sum("net"))["n"]
    )
    # A bad filter value falls back to the default instead of failing.
    assert client.get("/reports/", {"year": "abc", "first_month": "13", "category": "x"}).status_code == 200


def test_drill_down_from_district_to_producers_to_products(sold, client):
    client.force_login(sold.manager)
    producer = sold.silk.product.producer
    page = client.get(f"/reports/districts/{producer.district_id}/")
    assert page.status_code == 200
    assert [row.key for row in page.context["producers"]] == [str(producer.pk)]
    page = client.get(f"/reports/producers/{producer.pk}/")
    assert page.status_code == 200
    (product,) = page.context["products"]
    assert product.product_id == sold.silk.product_id
    assert product.quantity == 3  # 2 + 1 (web); the voided one came back
    assert client.get("/reports/districts/9999/").status_code == 404


@pytest.mark.parametrize("group", ["district", "category", "channel", "producer", "month"])
def test_exports_carry_the_same_figures(sold, client, group):
    client.force_login(sold.manager)
    total = sum(oracle.net_by_day_and_channel().values(), Decimal(0))
    response = client.get(f"/reports/export/{group}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(Decimal(str(value)) for value in values) == total
    response = client.get(f"/reports/export/{group}.csv")
    assert response.status_code == 200
    lines = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))[1:]
    assert sum(Decimal(line[2]) for line in lines) == total


def test_summary_pdf_is_a_pdf(sold, client):
    client.force_login(sold.manager)
    response = client.get("/reports/summary.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unknown_export_is_404(sold, client):
    client.force_login(sold.manager)
    assert client.get("/reports/export/buyers.csv").status_code == 404
    assert client.get("/reports/export/district.pdf").status_code == 404


def test_manager_sets_and_imports_targets_and_a_bad_file_changes_nothing(sold, client):
    client.force_login(sold.manager)
    response = client.post("/reports/targets/", {"year": 2569, "month": 0, "scope": "province", "dimension": "total",
                                                 "key": "", "amount": "11000000000.00", "note": ""})  # fmt: skip
    assert response.status_code == 302
    assert Target.objects.get(scope="province").amount == Decimal("11000000000.00")
    district = sold.silk.product.producer.district_id
    good = (
        "year,month,scope,dimension,key,amount,note\n"
        f"2569,0,center,district,{district},50000,\n2569,3,center,channel,web,1000,\n"
    )
    upload = io.BytesIO(good.encode())
    upload.name = "targets.csv"
    assert client.post("/reports/targets/import", {"file": upload}).status_code == 302
    assert Target.objects.count() == 4
    bad = "year,month,scope,dimension,key,amount,note\n2569,0,center,district,9999,50000,\n2569,0,center,total,,-5,\n"
    upload = io.BytesIO(bad.encode())
    upload.name = "targets.csv"
    response = client.post("/reports/targets/import", {"file": upload})
    assert response.status_code == 400
    assert [line for line, _message in response.context["import_errors"]] == [2, 3]
    assert Target.objects.count() == 4


def test_a_producer_sees_this_months_sales_and_reports_outside_sales(sold, client):
    producer = sold.silk.product.producer
    user = create_user(username="silkmaker", password="a-long-test-password", role="producer")
    Producer.objects.filter(pk=producer.pk).update(user=user)
    client.force_login(user)
    home = client.get("/portal/")
    assert home.status_code == 200
    assert "ยอดขายของฉันเดือนนี้" in home.content.decode()
    page = client.get("/portal/sales/")
    assert page.status_code == 200
    expected = DailySales.objects.filter(producer_id=producer.pk).aggregate(n=Sum("net"))["n"]
    assert page.context["total"].net == expected
    assert {row.key for row in page.context["channels"]} == {"counter", "web"}
    month = f"{current_buddhist_year()}-01"
    response = client.post("/portal/sales/", {"month": month, "channel": "fair", "amount": "4500.00"})
    assert response.status_code == 302
    record = OutsideSales.objects.get()
    assert (record.producer_id, record.amount, record.source) == (producer.pk, Decimal("4500.00"), "producer")
    # A future month is refused and changes nothing.
    response = client.post("/portal/sales/", {"month": f"{current_buddhist_year() + 1}-01", "channel": "fair",
                                              "amount": "1.00"})  # fmt: skip
    assert response.status_code == 400
    assert OutsideSales.objects.count() == 1
    # Outside sales stay apart: the center's figure is unchanged, the province's grows.
    client.force_login(sold.manager)
    summary = client.get("/reports/").context["summary"]
    assert summary.net == sum(oracle.net_by_day_and_channel().values(), Decimal(0))
    assert summary.outside == Decimal("4500.00")
    assert summary.province_total == summary.net + Decimal("4500.00")


def test_the_district_map_shades_every_district_and_links_to_its_producers(sold, client):
    client.force_login(sold.manager)
    response = client.get("/reports/", {"year": current_buddhist_year()})
    page = response.content.decode()
    svg = page[page.index('<svg class="chart district-map"') :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count('<a href="/reports/districts/') == 26
    assert " style=" not in svg  # the CSP allows no inline styles
    ranked = [row for row in response.context["districts"] if row.key not in ("", "other")]
    best = ranked[0]
    assert best.net > 0
    # The district selling most is in the darkest shade; one with no sales in the "none" shade.
    best_tile = svg[svg.index(f"/reports/districts/{best.key}/") :]
    assert 'class="map-tile map-5"' in best_tile[: best_tile.index("</a>")]
    quiet = next(row for row in ranked if not row.net)
    quiet_tile = svg[svg.index(f"/reports/districts/{quiet.key}/") :]
    assert 'class="map-tile map-0"' in quiet_tile[: quiet_tile.index("</a>")]
    assert f'aria-label="{quiet.label}: ฿0"' in quiet_tile


def test_the_shade_classes_split_selling_districts_by_rank():
    assert map_classes([Decimal(v) for v in (0, 1, 2, 3, 4, 5, -3)]) == [0, 1, 2, 3, 4, 5, 0]
    assert map_classes([Decimal(v) for v in (0, 10, 900)]) == [0, 1, 5]
    assert map_classes([Decimal(7)] * 3) == [1, 1, 1]


def test_cached_figures_change_as_soon_as_sales_or_targets_do(sold, client):
    client.force_login(sold.manager)
    before = client.get("/reports/").context["summary"]
    assert client.get("/reports/").context["summary"].net == before.net  # answered from the cache
    sold.till_sale([(sold.rice, 2, Decimal("0"))])
    roll_up_new_documents()
    assert client.get("/reports/").context["summary"].net == before.net + Decimal("179.00")
    services.set_target(year=current_buddhist_year(), scope="center", dimension="total", amount="250000",
                        actor=None)  # fmt: skip
    assert client.get("/reports/").context["summary"].target == Decimal("250000.00")
    api = client.get("/api/v1/reports/sales", {"year": current_buddhist_year(), "group_by": "channel"}).json()
    assert Decimal(api["net"]) == before.net + Decimal("179.00")
