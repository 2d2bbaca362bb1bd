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

`roll_up_new_documents` runs every minute (`schedule.py`) and after each order status change; it looks
back `LOOKBACK_IDS` ids below each cursor because on PostgreSQL a transaction that took an id earlier may
commit later. `RolledDocument` (unique per source and key) makes adding twice impossible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from otop.catalog.models import Variant
from otop.core.money import ZERO, line_total, vat_included_in
from otop.inventory.selectors import basket_recipes
from otop.inventory.services.sales import split_price
from otop.orders.models import Order, OrderEvent
from otop.payments.models import Payment, PaymentEvent
from otop.pos.models import Sale, SaleVoid
from otop.reports.models import DailySales, ProductMonthSales, RolledDocument, RollupCursor
from otop.workspace.models import Booking

TILL_SALE = "till_sale"
TILL_VOID = "till_void"
ORDER_PAID = "order_paid"
ORDER_REFUND = "order_refund"
ROOM = "room"
SOURCES = [TILL_SALE, TILL_VOID, ORDER_PAID, ORDER_REFUND, ROOM]

ROOM_CHANNEL = "room"
LOOKBACK_IDS = 1000
BATCH = 500


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


def _till_lines(sale: Sale) -> list[RawLine]:
    lines = list(sale.lines.all())
    totals = [line.total for line in lines]
    nets = totals if sale.bill_discount == 0 else split_price(sale.total, totals)
    vats = split_price(sale.vat, nets)
    return [
        (line.variant_id, line.quantity, line_total(line.unit_price, line.quantity), net, vat)
        for line, net, vat in zip(lines, nets, vats, strict=True)
    ]


def _till_channel(sale: Sale) -> str:
    return "tea" if sale.register.location_code == "tea" else "counter"


def till_documents(sales: list[tuple[str, str, Sale, datetime, bool]]) -> list[Document]:
    """(source, key, sale, when, is_return) → documents."""
    raw = [(source, key, sale, when, is_return, _till_lines(sale)) for source, key, sale, when, is_return in sales]
    info, recipes = _item_info(line[0] for *_rest, lines in raw for line in lines if line[0])
    documents = []
    for source, key, sale, when, is_return, lines in raw:
        day = business_day(when)
        facts = _facts(lines, day=day, channel=_till_channel(sale), is_return=is_return, info=info, recipes=recipes)
        documents.append(Document(source, key, day, facts))
    return documents


def _sale_rows(low_id: int, limit: int) -> list[tuple[str, str, Sale, datetime, bool]]:
    sales = (
        Sale.objects.filter(pk__gt=low_id).select_related("register").prefetch_related("lines").order_by("pk")[:limit]
    )
    return [(TILL_SALE, str(sale.pk), sale, sale.sold_at, False) for sale in sales]


def _void_rows(low_id: int, limit: int) -> list[tuple[str, str, Sale, datetime, bool]]:
    voids = (
        SaleVoid.objects.filter(pk__gt=low_id)
        .select_related("sale__register")
        .prefetch_related("sale__lines")
        .order_by("pk")[:limit]
    )
    return [(TILL_VOID, str(void.pk), void.sale, void.done_at, True) for void in voids]


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


def _order_event_rows(status: str, low_id: int, limit: int) -> list[OrderEvent]:
    return list(
        OrderEvent.objects.filter(pk__gt=low_id, to_status=status)
        .select_related("order")
        .prefetch_related("order__lines")
        .order_by("pk")[:limit]
    )


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


def _room_rows(low_id: int, limit: int) -> list[PaymentEvent]:
    booking_type = ContentType.objects.get_for_model(Booking)
    return list(
        PaymentEvent.objects.filter(
            pk__gt=low_id, to_status=Payment.Status.CONFIRMED, payment__content_type=booking_type
        )
        .select_related("payment")
        .order_by("pk")[:limit]
    )


# --- reading new documents ------------------------------------------------------------------


def _rows(source: str, low_id: int, limit: int) -> list:
    if source == TILL_SALE:
        return _sale_rows(low_id, limit)
    if source == TILL_VOID:
        return _void_rows(low_id, limit)
    if source == ORDER_PAID:
        return _order_event_rows(Order.Status.PAID, low_id, limit)
    if source == ORDER_REFUND:
        return _order_event_rows(Order.Status.REFUNDED, low_id, limit)
    return _room_rows(low_id, limit)


def _row_id(source: str, row) -> int:
    return int(row[1]) if source in (TILL_SALE, TILL_VOID) else row.pk


def _row_key(source: str, row) -> str:
    if source in (TILL_SALE, TILL_VOID):
        return row[1]
    return str(row.payment_id) if source == ROOM else str(row.pk)


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
    rows = _rows(source, low, LOOKBACK_IDS + BATCH)
    if not rows:
        return 0, False
    keys = [_row_key(source, row) for row in rows]
    done = set(RolledDocument.objects.filter(source=source, key__in=keys).values_list("key", flat=True))
    fresh = []
    seen = set()
    for row, key in zip(rows, keys, strict=True):
        if key not in done and key not in seen:
            seen.add(key)
            fresh.append(row)
    more = len(fresh) > BATCH or len(rows) == LOOKBACK_IDS + BATCH
    fresh = fresh[:BATCH]
    documents = _documents(source, fresh)
    add_documents(documents)
    highest = max(_row_id(source, row) for row in (fresh or rows))
    if highest > cursor.last_id:
        cursor.last_id = highest
        cursor.save(update_fields=["last_id"])
    return len(documents), more


# --- writing sums ---------------------------------------------------------------------------

DAILY_KEY = ("day", "channel", "category_id", "district_code", "producer_id")
DAILY_SUMS = ("quantity", "gross", "discount", "net", "vat", "returns", "documents")
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
    _increment(DailySales, DAILY_KEY, DAILY_SUMS, daily, {"day__in": {key[0] for key in daily}})
    _increment(ProductMonthSales, MONTH_KEY, MONTH_SUMS, monthly, {"month__in": {key[0] for key in monthly}})
    RolledDocument.objects.bulk_create(
        [RolledDocument(source=document.source, key=document.key, day=document.day) for document in documents]
    )


def _increment(model, key_fields, sum_fields, sums: dict, narrow: dict) -> None:
    channels = {key[1] for key in sums}
    existing = {
        tuple(getattr(row, field) for field in key_fields): row
        for row in model.objects.filter(channel__in=channels, **narrow).only("pk", *key_fields)
    }
    new = []
    for key, values in sums.items():
        row = existing.get(key)
        if row is None:
            new.append(model(**dict(zip(key_fields, key, strict=True)), **values))
        else:
            model.objects.filter(pk=row.pk).update(**{field: F(field) + values[field] for field in sum_fields})
    model.objects.bulk_create(new)


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
        ProductMonthSales.objects.all().delete()
        RolledDocument.objects.all().delete()
        RollupCursor.objects.update(last_id=0)
        return roll_up_new_documents()
    start = since.replace(day=1)
    DailySales.objects.filter(day__gte=start).delete()
    ProductMonthSales.objects.filter(month__gte=start).delete()
    RolledDocument.objects.filter(day__gte=start).delete()
    after = _start_of(start)
    added = 0
    sources = {
        TILL_SALE: lambda: Sale.objects.filter(sold_at__gte=after),
        TILL_VOID: lambda: SaleVoid.objects.filter(done_at__gte=after),
        ORDER_PAID: lambda: OrderEvent.objects.filter(at__gte=after, to_status=Order.Status.PAID),
        ORDER_REFUND: lambda: OrderEvent.objects.filter(at__gte=after, to_status=Order.Status.REFUNDED),
        ROOM: lambda: PaymentEvent.objects.filter(at__gte=after, to_status=Payment.Status.CONFIRMED),
    }
    for source, queryset in sources.items():
        ids = list(queryset().order_by("pk").values_list("pk", flat=True))
        for index in range(0, len(ids), BATCH):
            chunk = set(ids[index : index + BATCH])
            low, high = min(chunk), max(chunk)
            rows = [row for row in _rows(source, low - 1, high - low + 1) if _row_id(source, row) in chunk]
            documents = [document for document in _documents(source, rows) if document.day >= start]
            rolled = set(
                RolledDocument.objects.filter(source=source, key__in=[doc.key for doc in documents]).values_list(
                    "key", flat=True
                )
            )
            documents = [document for document in documents if document.key not in rolled]
            add_documents(documents)
            added += len(documents)
    added += roll_up_new_documents()
    return added


def days_between(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
