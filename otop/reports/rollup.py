"""Keep the rollup tables current: every committed sale and return of every channel, added once.

Sources (each a table of committed documents with increasing ids; `RollupCursor` keeps the last id seen):

- ``till_sale``   pos.Sale: the counter and the tea corner (goods and menu items), net of line and bill discounts;
- ``till_void``   pos.SaleVoid: a voided or refunded till sale, the whole sale back;
- ``order_paid``  orders.OrderEvent to paid: web, API, LINE (and any other order channel);
- ``order_refund`` orders.OrderEvent to refunded;
- ``room``        payments.PaymentEvent confirming a payment for a workspace booking: a service, no goods.

A gift basket counts as its components, split the way producers' settlements split it
(`inventory.services.split_price` over the components' shelf prices, the recipe from
`inventory.selectors.basket_recipes`), so each component's producer and district get their share.
VAT is the document's (the till's `Sale.vat`; for orders the VAT included in the goods total), spread
over lines with the same exact split, so the rollup's VAT adds up to the documents'.

`roll_up_new_documents` runs every minute (`schedule.py`), so reports lag sales by a minute at most; it
looks back `LOOKBACK_IDS` ids below each cursor because on PostgreSQL a transaction that took an id earlier
may commit later. `RolledDocument` (unique per source and key) makes adding twice impossible. The
documents are read as plain values and the sums written with one UPDATE statement run for many rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from otop.catalog.models import Variant
from otop.core.money import ZERO, line_total, vat_included_in
from otop.inventory.selectors import basket_recipes
from otop.inventory.services.sales import split_price
from otop.orders.models import Order, OrderEvent
from otop.payments.models import Payment, PaymentEvent
from otop.pos.models import Sale, SaleLine, SaleVoid
from otop.reports.models import DailySales, MonthlySales, ProductMonthSales, RolledDocument, RollupCursor
from otop.workspace.models import Booking

TILL_SALE = "till_sale"
TILL_VOID = "till_void"
ORDER_PAID = "order_paid"
ORDER_REFUND = "order_refund"
ROOM = "room"
SOURCES = [TILL_SALE, TILL_VOID, ORDER_PAID, ORDER_REFUND, ROOM]

ROOM_CHANNEL = "room"
LOOKBACK_IDS = 1000
BATCH = 1000


@dataclass(frozen=True)
class ItemInfo:
    product_id: int
    category_id: int
    producer_id: int
    district_code: str
    price: Decimal


@dataclass
class Fact:
    """One line's part of a document, signed (returns negative)."""

    day: date
    channel: str
    category_id: int
    district_code: str
    producer_id: int
    product_id: int
    quantity: int
    gross: Decimal
    discount: Decimal
    net: Decimal
    vat: Decimal
    is_return: bool


@dataclass
class Document:
    source: str
    key: str
    day: date
    facts: list[Fact]


# A raw line before baskets are split: (variant id or None, quantity, gross, net, vat).
RawLine = tuple[int | None, int, Decimal, Decimal, Decimal]
CENTER_ITEM = ItemInfo(product_id=0, category_id=0, producer_id=0, district_code="", price=ZERO)


def business_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _item_info(variant_ids: Iterable[int]) -> tuple[dict[int, ItemInfo], dict[int, list[tuple[int, int]]]]:
    asked = set(variant_ids)
    recipes = basket_recipes(variant_ids=asked) if asked else {}
    wanted = asked | {component for recipe in recipes.values() for component, _per in recipe}
    info = {
        pk: ItemInfo(product_id, category_id or 0, producer_id or 0, district_code or "", price)
        for pk, product_id, category_id, producer_id, district_code, price in Variant.objects.filter(
            pk__in=wanted
        ).values_list(
            "pk",
            "product_id",
            "product__category_id",
            "product__producer_id",
            "product__producer__district_id",
            "price",
        )
    }
    return info, recipes


def _facts(
    lines: list[RawLine], *, day: date, channel: str, is_return: bool, info: dict[int, ItemInfo], recipes
) -> list[Fact]:
    sign = -1 if is_return else 1
    facts = []
    for variant_id, quantity, gross, net, vat in lines:
        recipe = recipes.get(variant_id) if variant_id else None
        if recipe:
            weights = [info[component].price * per_basket for component, per_basket in recipe]
            gross_parts = split_price(gross, weights)
            net_parts = split_price(net, weights)
            vat_parts = split_price(vat, net_parts)
            parts = [
                (component, quantity * per_basket, g, n, v)
                for (component, per_basket), g, n, v in zip(recipe, gross_parts, net_parts, vat_parts, strict=True)
            ]
        else:
            parts = [(variant_id, quantity, gross, net, vat)]
        for part_variant, part_quantity, part_gross, part_net, part_vat in parts:
            item = info.get(part_variant, CENTER_ITEM) if part_variant else CENTER_ITEM
            facts.append(
                Fact(
                    day=day,
                    channel=channel,
                    category_id=item.category_id,
                    district_code=item.district_code,
                    producer_id=item.producer_id,
                    product_id=item.product_id,
                    quantity=sign * part_quantity,
                    gross=sign * part_gross,
                    discount=sign * (part_gross - part_net),
                    net=sign * part_net,
                    vat=sign * part_vat,
                    is_return=is_return,
                )
            )
    return facts


# --- the till -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TillSale:
    """What a till sale's document needs, read as plain values (building model objects costs more than the sums)."""

    channel: str
    bill_discount: Decimal
    total: Decimal
    vat: Decimal
    lines: list[tuple[int | None, int, Decimal, Decimal]]  # (variant id, quantity, unit price, line total)


def _till_sales(sale_ids: Iterable[int]) -> dict[int, TillSale]:
    sale_ids = list(sale_ids)
    lines: dict[int, list] = defaultdict(list)
    for sale_id, variant_id, quantity, unit_price, total in (
        SaleLine.objects.filter(sale_id__in=sale_ids)
        .order_by("sale_id", "position", "pk")
        .values_list("sale_id", "variant_id", "quantity", "unit_price", "total")
    ):
        lines[sale_id].append((variant_id, quantity, unit_price, total))
    return {
        pk: TillSale("tea" if location == "tea" else "counter", bill_discount, total, vat, lines[pk])
        for pk, location, bill_discount, total, vat in Sale.objects.filter(pk__in=sale_ids).values_list(
            "pk", "register__location_code", "bill_discount", "total", "vat"
        )
    }


def _till_lines(sale: TillSale) -> list[RawLine]:
    totals = [total for _variant, _quantity, _price, total in sale.lines]
    nets = totals if sale.bill_discount == 0 else split_price(sale.total, totals)
    vats = split_price(sale.vat, nets)
    return [
        (variant_id, quantity, line_total(unit_price, quantity), net, vat)
        for (variant_id, quantity, unit_price, _total), net, vat in zip(sale.lines, nets, vats, strict=True)
    ]


def till_documents(rows: list[tuple[str, str, int, datetime, bool]]) -> list[Document]:
    """(source, key, sale id, when, is_return) → documents."""
    sales = _till_sales(sale_id for _source, _key, sale_id, _when, _return in rows)
    raw = [(source, key, sales[sale_id], when, is_return) for source, key, sale_id, when, is_return in rows]
    raw = [(*row, _till_lines(row[2])) for row in raw]
    info, recipes = _item_info(line[0] for *_rest, lines in raw for line in lines if line[0])
    documents = []
    for source, key, sale, when, is_return, lines in raw:
        day = business_day(when)
        facts = _facts(lines, day=day, channel=sale.channel, is_return=is_return, info=info, recipes=recipes)
        documents.append(Document(source, key, day, facts))
    return documents


# --- orders ---------------------------------------------------------------------------------


def _order_lines(order: Order) -> list[RawLine]:
    lines = list(order.lines.all())
    nets = [line.line_total for line in lines]
    vats = split_price(vat_included_in(sum(nets, ZERO)), nets)
    return [
        (line.variant_id, line.quantity, line.line_total, net, vat)
        for line, net, vat in zip(lines, nets, vats, strict=True)
    ]


def order_documents(events: list[OrderEvent]) -> list[Document]:
    raw = [(event, _order_lines(event.order)) for event in events]
    info, recipes = _item_info(line[0] for _event, lines in raw for line in lines if line[0])
    documents = []
    for event, lines in raw:
        is_return = event.to_status == Order.Status.REFUNDED
        day = business_day(event.at)
        facts = _facts(lines, day=day, channel=event.order.channel, is_return=is_return, info=info, recipes=recipes)
        documents.append(Document(ORDER_REFUND if is_return else ORDER_PAID, str(event.pk), day, facts))
    return documents


# --- room bookings --------------------------------------------------------------------------


def room_documents(events: list[PaymentEvent]) -> list[Document]:
    documents = []
    for event in events:
        amount = event.payment.amount
        day = business_day(event.at)
        fact = Fact(
            day=day, channel=ROOM_CHANNEL, category_id=0, district_code="", producer_id=0, product_id=0, quantity=1,
            gross=amount, discount=ZERO, net=amount, vat=vat_included_in(amount), is_return=False,
        )  # fmt: skip
        documents.append(Document(ROOM, str(event.payment_id), day, [fact]))
    return documents


# --- reading new documents ------------------------------------------------------------------


def _booking_type() -> ContentType:
    return ContentType.objects.get_for_model(Booking)


def _candidates(source: str):
    """The source's documents as a queryset of (row id, document key)."""
    if source == TILL_SALE:
        return Sale.objects.values_list("pk", "pk")
    if source == TILL_VOID:
        return SaleVoid.objects.values_list("pk", "pk")
    if source in (ORDER_PAID, ORDER_REFUND):
        status = Order.Status.PAID if source == ORDER_PAID else Order.Status.REFUNDED
        return OrderEvent.objects.filter(to_status=status).values_list("pk", "pk")
    return PaymentEvent.objects.filter(
        to_status=Payment.Status.CONFIRMED, payment__content_type=_booking_type()
    ).values_list("pk", "payment_id")


def _load(source: str, ids: list[int]) -> list:
    """The rows behind these ids, with what their documents need, in id order."""
    if source == TILL_SALE:
        sales = Sale.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "sold_at")
        return [(TILL_SALE, str(pk), pk, sold_at, False) for pk, sold_at in sales]
    if source == TILL_VOID:
        voids = SaleVoid.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "sale_id", "done_at")
        return [(TILL_VOID, str(pk), sale_id, done_at, True) for pk, sale_id, done_at in voids]
    if source in (ORDER_PAID, ORDER_REFUND):
        events = OrderEvent.objects.filter(pk__in=ids).select_related("order").prefetch_related("order__lines")
        return list(events.order_by("pk"))
    return list(PaymentEvent.objects.filter(pk__in=ids).select_related("payment").order_by("pk"))


def _documents(source: str, rows: list) -> list[Document]:
    if source in (TILL_SALE, TILL_VOID):
        return till_documents(rows)
    if source == ROOM:
        return room_documents(rows)
    return order_documents(rows)


def roll_up_new_documents() -> int:
    """Add every committed document not yet in the rollup; return how many were added. Safe to run at any time."""
    added = 0
    for source in SOURCES:
        while True:
            count, more = _roll_up_batch(source)
            added += count
            if not more:
                break
    return added


@transaction.atomic
def _roll_up_batch(source: str) -> tuple[int, bool]:
    cursor, _created = RollupCursor.objects.select_for_update().get_or_create(source=source)
    low = max(cursor.last_id - LOOKBACK_IDS, 0)
    limit = LOOKBACK_IDS + BATCH
    candidates = [(pk, str(key)) for pk, key in _candidates(source).filter(pk__gt=low).order_by("pk")[:limit]]
    if not candidates:
        return 0, False
    keys = [key for _pk, key in candidates]
    done = set(RolledDocument.objects.filter(source=source, key__in=keys).values_list("key", flat=True))
    fresh: dict[str, int] = {}
    for pk, key in candidates:
        if key not in done and key not in fresh:
            fresh[key] = pk
    more = len(fresh) > BATCH or len(candidates) == limit
    chosen = list(fresh.values())[:BATCH]
    documents = _documents(source, _load(source, chosen)) if chosen else []
    add_documents(documents)
    highest = max(chosen) if chosen else candidates[-1][0]
    if highest > cursor.last_id:
        cursor.last_id = highest
        cursor.save(update_fields=["last_id"])
    return len(documents), more


# --- writing sums ---------------------------------------------------------------------------

DAILY_KEY = ("day", "channel", "category_id", "district_code", "producer_id")
DAILY_SUMS = ("quantity", "gross", "discount", "net", "vat", "returns", "documents")
MONTHLY_KEY = ("month", "channel", "category_id", "district_code", "producer_id")
MONTH_KEY = ("month", "channel", "product_id")
MONTH_SUMS = ("quantity", "net", "vat")


def add_documents(documents: list[Document]) -> None:
    """Add documents' facts to the rollup and remember them. Caller holds the transaction."""
    if not documents:
        return
    daily: dict[tuple, dict[str, Decimal | int]] = defaultdict(lambda: dict.fromkeys(DAILY_SUMS, 0))
    monthly: dict[tuple, dict] = {}
    for document in documents:
        counted = set()
        for fact in document.facts:
            key = (fact.day, fact.channel, fact.category_id, fact.district_code, fact.producer_id)
            sums = daily[key]
            sums["quantity"] += fact.quantity
            sums["gross"] += fact.gross
            sums["discount"] += fact.discount
            sums["net"] += fact.net
            sums["vat"] += fact.vat
            if fact.is_return:
                sums["returns"] -= fact.net
            if key not in counted:
                counted.add(key)
                sums["documents"] += -1 if fact.is_return else 1
            month_key = (fact.day.replace(day=1), fact.channel, fact.product_id)
            entry = monthly.setdefault(
                month_key,
                {"producer_id": fact.producer_id, "district_code": fact.district_code,
                 "category_id": fact.category_id, "quantity": 0, "net": ZERO, "vat": ZERO},
            )  # fmt: skip
            entry["quantity"] += fact.quantity
            entry["net"] += fact.net
            entry["vat"] += fact.vat
    days, producers = {key[0] for key in daily}, {key[4] for key in daily}
    _increment(DailySales, DAILY_KEY, DAILY_SUMS, daily, {"day__in": days, "producer_id__in": producers})
    by_month: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(DAILY_SUMS, 0))
    for (day, *rest), sums in daily.items():
        cell = by_month[(day.replace(day=1), *rest)]
        for field in DAILY_SUMS:
            cell[field] += sums[field]
    months = {key[0] for key in by_month}
    _increment(MonthlySales, MONTHLY_KEY, DAILY_SUMS, by_month, {"month__in": months, "producer_id__in": producers})
    products = {key[2] for key in monthly}
    _increment(ProductMonthSales, MONTH_KEY, MONTH_SUMS, monthly, {"month__in": months, "product_id__in": products})
    RolledDocument.objects.bulk_create(
        [RolledDocument(source=document.source, key=document.key, day=document.day) for document in documents]
    )


def _increment(model, key_fields, sum_fields, sums: dict, narrow: dict) -> None:
    """Add the sums to their rows (created when missing). The caller holds the rollup's lock (a cursor row
    locked for update; SQLite's one writer), so no other run creates the same rows meanwhile."""
    existing = {
        tuple(values[:-1]): values[-1]
        for values in model.objects.filter(channel__in={key[1] for key in sums}, **narrow).values_list(
            *key_fields, "pk"
        )
    }
    new, changed = [], []
    for key, values in sums.items():
        pk = existing.get(key)
        if pk is None:
            new.append(model(**dict(zip(key_fields, key, strict=True)), **values))
        else:
            changed.append([values[field] for field in sum_fields] + [pk])
    if changed:
        # One statement run for many rows: Django's bulk_update builds a CASE per field and row (slow in Python).
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(f"{connection.ops.quote_name(f)} = {connection.ops.quote_name(f)} + %s" for f in sum_fields)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", changed)  # noqa: S608 - names only
    model.objects.bulk_create(new, batch_size=1000)


# --- rebuilding -----------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@transaction.atomic
def rebuild_sales_rollup(*, since: date | None = None) -> int:
    """Rebuild the rollup from the raw documents (from the first of `since`'s month, or all of it).

    Product-month rows are whole months, so a rebuild always starts on the first of a month.
    Returns the number of documents added.
    """
    for source in SOURCES:
        RollupCursor.objects.select_for_update().get_or_create(source=source)
    if since is None:
        DailySales.objects.all().delete()
        MonthlySales.objects.all().delete()
        ProductMonthSales.objects.all().delete()
        RolledDocument.objects.all().delete()
        RollupCursor.objects.update(last_id=0)
        return roll_up_new_documents()
    start = since.replace(day=1)
    DailySales.objects.filter(day__gte=start).delete()
    MonthlySales.objects.filter(month__gte=start).delete()
    ProductMonthSales.objects.filter(month__gte=start).delete()
    RolledDocument.objects.filter(day__gte=start).delete()
    after = _start_of(start)
    since_filters = {
        TILL_SALE: {"sold_at__gte": after},
        TILL_VOID: {"done_at__gte": after},
        ORDER_PAID: {"at__gte": after},
        ORDER_REFUND: {"at__gte": after},
        ROOM: {"at__gte": after},
    }
    added = 0
    for source, since_filter in since_filters.items():
        candidates = list(_candidates(source).filter(**since_filter).order_by("pk"))
        for index in range(0, len(candidates), BATCH):
            chunk = candidates[index : index + BATCH]
            keys = [str(key) for _pk, key in chunk]
            rolled = set(RolledDocument.objects.filter(source=source, key__in=keys).values_list("key", flat=True))
            ids = [pk for pk, key in chunk if str(key) not in rolled]
            documents = [document for document in _documents(source, _load(source, ids)) if document.day >= start]
            add_documents(documents)
            added += len(documents)
    added += roll_up_new_documents()
    return added
