"""A generator of raw till sales for benchmarks: many sold lines, fast (bulk inserts, no stock moves).

Not for a real center: it writes `pos.Sale`/`SaleLine` rows directly on a register of its own ("bench"),
spread over the days before `until`, with the prices of the listed items; the rollup is then rebuilt.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Product, Variant
from otop.core.money import VAT_RATE, line_total, vat_included_in
from otop.inventory.services.sales import split_price
from otop.pos.models import Register, Sale, SaleLine, Shift

LINES_PER_SALE = 3
BATCH_SALES = 5000


def _register_and_shift() -> tuple[Register, Shift, User]:
    register, _created = Register.objects.get_or_create(
        code="bench", defaults={"name_th": "ทดสอบความเร็ว", "receipt_prefix": "BN", "location_code": "shop"}
    )
    cashier, _created = User.objects.get_or_create(username="bench-cashier")
    shift = Shift.objects.filter(register=register).first() or Shift.objects.create(
        register=register, opened_by=cashier, opened_at=timezone.now() - timedelta(days=3650),
        starting_cash=Decimal("0"), status=Shift.Status.CLOSED,
    )  # fmt: skip
    return register, shift, cashier


def generate_till_lines(*, lines: int, days: int, until: date | None = None, seed: int = 1) -> int:
    """Write about `lines` sold lines (3 a sale) over `days` days ending the day before `until`."""
    until = until or timezone.localdate()
    rng = random.Random(seed)
    items = [
        (pk, price, name, keys)
        for pk, price, name, *keys in Variant.objects.filter(
            product__status=Product.Status.LISTED, product__is_basket=False
        ).values_list(
            "pk", "price", "product__name_th", "product_id", "product__category_id", "product__producer_id",
            "product__producer__district_id",
        )
    ]  # fmt: skip
    if not items:
        raise ValueError("no listed items to sell: seed the demo first")
    register, shift, cashier = _register_and_shift()
    next_number = (Sale.objects.filter(register=register).order_by("-receipt_number").values_list(
        "receipt_number", flat=True).first() or 0) + 1  # fmt: skip
    sales_wanted = max(1, lines // LINES_PER_SALE)
    first_day = until - timedelta(days=days)
    written = 0
    while written < sales_wanted:
        count = min(BATCH_SALES, sales_wanted - written)
        sales, sale_lines = [], []
        for index in range(count):
            # In time order, as a shop writes them: the n-th sale falls on the n-th share of the days.
            day = first_day + timedelta(days=(written + index) * days // sales_wanted)
            sold_at = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))
            chosen = [items[min(int(rng.expovariate(0.002)), len(items) - 1)] for _line in range(LINES_PER_SALE)]
            priced = [(pk, rng.randint(1, 3), price, name, keys) for pk, price, name, keys in chosen]
            total = sum((line_total(price, quantity) for _pk, quantity, price, _name, _keys in priced), Decimal(0))
            sale = Sale(
                device_sale_id=uuid.uuid4(), register=register, shift=shift, cashier=cashier,
                receipt_number=next_number, sold_at=sold_at, subtotal=total, total=total, vat=vat_included_in(total),
            )  # fmt: skip
            next_number += 1
            sales.append(sale)
            sale_lines.append(priced)
        with transaction.atomic():
            Sale.objects.bulk_create(sales)
            SaleLine.objects.bulk_create(
                [
                    SaleLine(
                        sale=sale,
                        position=position,
                        variant_id=pk,
                        name=name[:300],
                        quantity=quantity,
                        unit_price=price,
                        total=line_total(price, quantity),
                        product_id=product_id,
                        category_id=category_id,
                        producer_id=producer_id,
                        district_code=district or "",
                        vat=vat,
                    )  # fmt: skip
                    for sale, priced in zip(sales, sale_lines, strict=True)
                    for position, (
                        (pk, quantity, price, name, (product_id, category_id, producer_id, district)),
                        vat,
                    ) in enumerate(zip(priced, _vat_shares(sale.vat, priced), strict=True), start=1)
                ],
                batch_size=2000,
            )
        written += count
    return written * LINES_PER_SALE


def _vat_shares(vat: Decimal, priced: list) -> list[Decimal]:
    return split_price(vat, [line_total(price, quantity) for _pk, quantity, price, _name, _keys in priced])


def generate_till_lines_in_postgresql(*, lines: int, days: int, until: date | None = None, seed: int = 1) -> int:
    """The same kind of sales as `generate_till_lines`, written by PostgreSQL itself (generate_series):
    millions of lines in minutes rather than hours. Items are picked with the same skew (an exponential rank)."""
    until = until or timezone.localdate()
    register, shift, cashier = _register_and_shift()
    next_number = (Sale.objects.filter(register=register).order_by("-receipt_number").values_list(
        "receipt_number", flat=True).first() or 0) + 1  # fmt: skip
    sales_wanted = max(1, lines // LINES_PER_SALE)
    first_day = timezone.make_aware(datetime.combine(until - timedelta(days=days), time(8)))
    before = Sale.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_items ON COMMIT DROP AS "
            "SELECT row_number() OVER (ORDER BY v.id) AS n, v.id, v.price, left(p.name_th, 300) AS name, "
            "p.id AS product_id, p.category_id, p.producer_id, COALESCE(m.district_id, '') AS district_code "
            "FROM catalog_variant v JOIN catalog_product p ON p.id = v.product_id "
            "LEFT JOIN producers_producer m ON m.id = p.producer_id "
            "WHERE p.status = %s AND NOT p.is_basket",
            [Product.Status.LISTED],
        )
        cursor.execute("SELECT count(*) FROM bench_items")
        (items,) = cursor.fetchone()
        if not items:
            raise ValueError("no listed items to sell: seed the demo first")
        cursor.execute(
            "INSERT INTO pos_sale (created_at, updated_at, device_sale_id, receipt_number, sold_at, status, subtotal,"
            " bill_discount, total, vat, change_due, recorded_offline, has_shortfall, needs_review, review_note,"
            " cashier_id, register_id, shift_id) "
            "SELECT now(), now(), gen_random_uuid(), %s + g, "
            " %s + (g::bigint * %s / %s) * interval '1 day' + floor(random() * 600) * interval '1 minute',"
            " 'completed', 0, 0, 0, 0, 0, false, false, false, '', %s, %s, %s FROM generate_series(0, %s - 1) g",
            [next_number, first_day, days, sales_wanted, cashier.pk, register.pk, shift.pk, sales_wanted],
        )
        cursor.execute(
            "INSERT INTO pos_saleline (position, name, modifiers, quantity, unit_price, discount, total, category_name,"
            " producer_name, shortfall_quantity, sale_id, variant_id, product_id, category_id, producer_id,"
            " district_code, vat) "
            "SELECT position, i.name, '{}'::jsonb, q, i.price, 0, i.price * q, '', '', 0, s.id, i.id, i.product_id,"
            " i.category_id, i.producer_id, i.district_code, 0 "
            "FROM (SELECT s.id, position, 1 + floor(random() * 3)::int AS q,"
            "             1 + least(floor(-ln(1 - random()) / 0.002)::bigint, %s - 1) AS n"
            "      FROM pos_sale s CROSS JOIN generate_series(1, %s) position WHERE s.id > %s) s "
            "JOIN bench_items i ON i.n = s.n",
            [items, LINES_PER_SALE, before],
        )
        cursor.execute(
            "UPDATE pos_sale SET subtotal = t.total, total = t.total, vat = round(t.total * %s / (1 + %s), 2) "
            "FROM (SELECT sale_id, sum(total) AS total FROM pos_saleline WHERE sale_id > %s GROUP BY sale_id) t "
            "WHERE pos_sale.id = t.sale_id",
            [VAT_RATE, VAT_RATE, before],
        )
        # Each line's share of its sale's VAT, as `split_price` gives it (rounded half up at the running total).
        cursor.execute(
            "UPDATE pos_saleline SET vat = x.part / 100.0 FROM ("
            " SELECT id, COALESCE((2 * v * running + weight) / NULLIF(2 * weight, 0)"
            "  - (2 * v * (running - n) + weight) / NULLIF(2 * weight, 0), 0) AS part FROM ("
            "  SELECT l.id, round(l.total * 100)::bigint AS n, round(s.vat * 100)::bigint AS v,"
            "   (sum(round(l.total * 100)::bigint) OVER (PARTITION BY l.sale_id ORDER BY l.position, l.id))::bigint"
            "    AS running,"
            "   (sum(round(l.total * 100)::bigint) OVER (PARTITION BY l.sale_id))::bigint AS weight"
            "  FROM pos_saleline l JOIN pos_sale s ON s.id = l.sale_id WHERE l.sale_id > %s AND s.id > %s) y"
            ") x WHERE pos_saleline.id = x.id",
            [before, before],
        )
    return sales_wanted * LINES_PER_SALE


def generate_lines(*, lines: int, days: int, until: date | None = None, seed: int = 1) -> int:
    """`generate_till_lines_in_postgresql` on PostgreSQL, else `generate_till_lines`."""
    if connection.vendor == "postgresql":
        return generate_till_lines_in_postgresql(lines=lines, days=days, until=until, seed=seed)
    return generate_till_lines(lines=lines, days=days, until=until, seed=seed)
