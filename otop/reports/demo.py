"""Demo sales history and targets, so the dashboard has a story to tell.

Sales go through the real services (the till with one shift a month, web/LINE/API orders paid, a room
payment), dated over last year and this year up to today, then rolled up. The targets are the province's
published figures — the center's ฿2,200 million for 2564 and the province's ฿11,000 million sold in 2563 —
scaled down to the demo's size (1 : N, N written in each target's note), so the dashboard says so.
Deterministic; skipped when the demo's targets exist.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from otop.accounts.models import User
from otop.catalog.models import Category, Product, Variant
from otop.core.selectors import center_profile
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services
from otop.orders import services as orders
from otop.pos import services as pos
from otop.pos.models import Register, Shift
from otop.producers.models import Producer
from otop.reports.models import DailySales, OutsideSales, Target
from otop.reports.rollup import roll_up_new_documents
from otop.reports.selectors import current_buddhist_year, gregorian_year

DEMO_MARK = "DEMO"
CENTER_TARGET_2564 = Decimal("2200000000")
PROVINCE_SALES_2563 = Decimal("11000000000")
# A month of history for the full demo (300 products); a smaller demo gets a history in proportion
# (at least a couple of sales and one order a month), so a small catalogue seeds in seconds.
SALES_PER_MONTH = 16
ORDERS_PER_MONTH = 5
FULL_DEMO_PRODUCTS = 300
GROWTH = Decimal("1.10")


def seed(*, products: int, seed: int, today: date | None = None) -> None:
    if Target.objects.filter(note__startswith=DEMO_MARK).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(seed)
    manager = User.objects.filter(username="manager").first()
    cashier = User.objects.filter(username="cashier").first()
    register = Register.objects.filter(code="shop").first()
    sales_per_month = max(2, min(SALES_PER_MONTH, SALES_PER_MONTH * products // FULL_DEMO_PRODUCTS))
    orders_per_month = max(1, min(ORDERS_PER_MONTH, ORDERS_PER_MONTH * products // FULL_DEMO_PRODUCTS))
    variants = _stocked_variants(rng, sales_per_month=sales_per_month, orders_per_month=orders_per_month)
    if manager is None or cashier is None or register is None or not variants:
        return
    first_month = date(today.year - 1, 1, 1)
    if not Shift.objects.filter(register=register, status=Shift.Status.OPEN).exists():
        _till_history(register=register, cashier=cashier, variants=variants, rng=rng, first=first_month, today=today,
                      per_month=sales_per_month)  # fmt: skip
    _order_history(manager=manager, variants=variants, rng=rng, first=first_month, today=today,
                   per_month=orders_per_month)  # fmt: skip
    roll_up_new_documents()
    _targets(today=today, actor=manager)
    _outside_sales(rng=rng, today=today, actor=manager)


def _stocked_variants(rng: random.Random, *, sales_per_month: int, orders_per_month: int) -> list[Variant]:
    """One listed item of up to 60 producers (spread over the districts), stocked for the history."""
    chosen, seen = [], set()
    candidates = (
        Variant.objects.filter(product__status=Product.Status.LISTED, product__is_basket=False, price__lte=2000)
        .select_related("product")
        .order_by("pk")
    )
    for variant in candidates[:2000]:
        if variant.product.producer_id in seen:
            continue
        seen.add(variant.product.producer_id)
        chosen.append(variant)
        if len(chosen) == 60:
            break
    # Enough for the whole history even when a tiny demo has only a few producers: a till sale takes at
    # most 4 units of an item, an order at most 3, over at most 25 months.
    needed = {"shop": 4 * sales_per_month * 25, "online": 3 * orders_per_month * 25}
    for variant in chosen:
        for code, quantity in needed.items():
            stock_services.receive_stock(variant=variant, location=stock_selectors.location(code), quantity=quantity,
                                         actor=None, reference="DEMO-REPORTS", note="demo")  # fmt: skip
    rng.shuffle(chosen)
    return chosen


def _months(first: date, today: date):
    month = first
    while month <= today:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _popular(variants: list[Variant], rng: random.Random) -> Variant:
    # A few items sell far more than the rest, as in a real shop.
    return variants[min(int(rng.expovariate(0.12)), len(variants) - 1)]


def _till_history(*, register, cashier, variants, rng, first: date, today: date, per_month: int) -> None:
    months = list(_months(first, today))
    block = pos.reserve_number_block(register=register, device_id="demo-history", actor=cashier,
                                     size=per_month * (len(months) + 1))  # fmt: skip
    numbers = iter(range(block.blocks[-1].first_number, block.blocks[-1].last_number + 1))
    for month in months:
        last_day = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), today)
        shift = pos.open_shift(register=register, actor=cashier, starting_cash=Decimal("0"), now=_at(month, 8))
        days = (last_day - month).days + 1
        for _number in range(per_month if last_day < today else max(2, per_month * days // 31)):
            day = month + timedelta(days=rng.randrange(days))
            lines = []
            for variant in {_popular(variants, rng) for _line in range(rng.randint(1, 3))}:
                lines.append(pos.LineInput(variant_id=variant.pk, quantity=rng.randint(1, 4), unit_price=variant.price))
            total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
            pos.record_sale(
                register=register, actor=cashier, now=_at(day, rng.randint(8, 17), rng.randint(0, 59)),
                data=pos.SaleInput(
                    device_sale_id=uuid.UUID(int=rng.getrandbits(128)), shift_id=shift.pk,
                    receipt_number=next(numbers), lines=lines,
                    payments=[pos.PaymentInput(method="cash", amount=total, tendered=total)],
                ),
            )  # fmt: skip
        pos.close_shift(shift=shift, counted_cash=shift.starting_cash, actor=cashier, now=_at(last_day, 18))


def _order_history(*, manager, variants, rng, first: date, today: date, per_month: int) -> None:
    channels = ["web", "web", "line", "line", "api"]
    for month in _months(first, today):
        last_day = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), today)
        for _number in range(per_month):
            day = month + timedelta(days=rng.randrange((last_day - month).days + 1))
            placed = _at(day, rng.randint(8, 20))
            if placed > timezone.now():
                continue
            variant = _popular(variants, rng)
            order = orders.place_order(
                items=[(variant.sku, rng.randint(1, 3))],
                customer=orders.CustomerDetails(name="ลูกค้าสาธิต", phone="0812223333", email="demo@example.com"),
                delivery_method="pickup", channel=rng.choice(channels), now=placed,
            )  # fmt: skip
            orders.change_status(order=order, to_status="paid", actor=manager, now=placed + timedelta(minutes=20))


def _round(amount: Decimal, places: str = "1000") -> Decimal:
    unit = Decimal(places)
    return ((amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit).quantize(Decimal("0.01"))


def _targets(*, today: date, actor) -> None:
    year = current_buddhist_year(today)
    last_year = DailySales.objects.filter(day__year=gregorian_year(year - 1))
    measured = last_year.aggregate(total=Sum("net"))["total"] or Decimal(0)
    if measured <= 0:
        return
    center = _round(measured * GROWTH)
    scale = (CENTER_TARGET_2564 / center).quantize(Decimal(1))
    province = _round(PROVINCE_SALES_2563 / scale)
    note = (
        f"{DEMO_MARK}: ข้อมูลสาธิต — เป้าหมายศูนย์ ฿2,200 ล้าน (ปี 2564) และยอดขายจังหวัด ฿11,000 ล้าน (ปี 2563) "
        f"ย่อส่วน 1 : {scale:,} ให้เท่าขนาดข้อมูลสาธิต / Demo data: the published figures scaled 1 : {scale:,}."
    )
    rows = [
        Target(year=year, scope="center", dimension="total", key="", amount=center, note=note, updated_by=actor),
        Target(year=year, scope="province", dimension="total", key="", amount=province, note=note, updated_by=actor),
    ]
    for month in range(1, 13):
        rows.append(Target(year=year, month=month, scope="center", dimension="total", key="",
                           amount=_round(center / 12, "100"), note=DEMO_MARK, updated_by=actor))  # fmt: skip
    shares = {
        "district": dict(last_year.values_list("district_code").annotate(n=Sum("net"))),
        "channel": dict(last_year.values_list("channel").annotate(n=Sum("net"))),
    }
    codes = dict(Category.objects.values_list("pk", "code"))
    shares["category"] = {
        codes[pk]: value for pk, value in last_year.values_list("category_id").annotate(n=Sum("net")) if pk in codes
    }
    province_districts = set(
        Producer.objects.filter(province_id=center_profile().province_id).values_list("district_id", flat=True)
    )
    for dimension, values in shares.items():
        values = {key: value for key, value in values.items() if key and value > 0}
        if dimension == "district":
            values = {key: value for key, value in values.items() if key in province_districts}
        total = sum(values.values(), Decimal(0))
        for key, value in values.items():
            rows.append(Target(year=year, scope="center", dimension=dimension, key=str(key), note=DEMO_MARK,
                               amount=_round(center * value / total, "100"), updated_by=actor))  # fmt: skip
    Target.objects.bulk_create(rows, ignore_conflicts=True)


def _outside_sales(*, rng: random.Random, today: date, actor) -> None:
    producers = list(Producer.objects.filter(province_id=center_profile().province_id).order_by("pk")[:40])
    channels = [choice for choice, _label in OutsideSales.Channel.choices]
    rows = []
    for producer in producers:
        for month in _months(date(today.year, 1, 1), today):
            if rng.random() < 0.5:
                continue
            channel = rng.choice(channels)
            rows.append(OutsideSales(producer=producer, month=month, channel=channel, source="officer",
                                     amount=Decimal(rng.randint(20, 400) * 100), entered_by=actor,
                                     district_code=producer.district_id or ""))  # fmt: skip
    OutsideSales.objects.bulk_create(rows, ignore_conflicts=True)
