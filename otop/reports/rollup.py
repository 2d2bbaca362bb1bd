"""Keep the rollup tables current: every committed sale and return of every channel, added once.

Sources (each a table of committed documents with increasing ids; `RollupCursor` keeps the last id seen):

- ``till_sale``   pos.Sale: the counter and the tea corner (goods and menu items), net of line and bill discounts;
- ``till_return`` pos.SaleReturn: a partial refund at the till, the units of some lines brought back, at what
                  was paid back for them (the credit note's amounts) and the credit note's VAT;
- ``till_void``   pos.SaleVoid: a voided or refunded till sale, what partial refunds left of it back (the whole
                  sale's facts less its partial refunds' facts, so a sale, its returns and its void net to zero
                  in every cell);
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

import operator
import time as time_module
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from otop.catalog.models import Variant
from otop.core.money import ZERO, line_total, vat_included_in
from otop.inventory.selectors import basket_recipes
from otop.inventory.services.sales import split_price
from otop.orders.models import Order, OrderEvent
from otop.payments.models import Payment, PaymentEvent
from otop.pos.models import Register, Sale, SaleLine, SaleReturn, SaleReturnLine, SaleVoid
from otop.reports.models import (
    FIGURES_VERSION,
    DailySales,
    MonthlySales,
    ProductMonthSales,
    RolledDocument,
    RolledRange,
    RollupCursor,
)
from otop.workspace.models import Booking

TILL_SALE = "till_sale"
TILL_VOID = "till_void"
TILL_RETURN = "till_return"
ORDER_PAID = "order_paid"
ORDER_REFUND = "order_refund"
ROOM = "room"
SOURCES = [TILL_SALE, TILL_RETURN, TILL_VOID, ORDER_PAID, ORDER_REFUND, ROOM]

ROOM_CHANNEL = "room"
FIGURES = FIGURES_VERSION
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
    counted: bool = True  # False: a partial refund, which takes back units but no document


# A raw line before baskets are split: (variant id or None, quantity, gross, net, vat), and for a till line the
# keys it was sold under (`pos.SaleLine`), which win over the catalogue's current ones, as in the database's sums.
RawLine = (
    tuple[int | None, int, Decimal, Decimal, Decimal]
    | tuple[int | None, int, Decimal, Decimal, Decimal, ItemInfo | None]
)
CENTER_ITEM = ItemInfo(product_id=0, category_id=0, producer_id=0, district_code="", price=ZERO)


def business_day(moment: datetime) -> date:
    return moment.astimezone(timezone.get_default_timezone()).date()


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
    for variant_id, quantity, gross, net, vat, *sold_as in lines:
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
            if not recipe and sold_as and sold_as[0] is not None:
                item = sold_as[0]
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
    # (variant id, quantity, unit price, total, line id, the keys it was sold under or None)
    lines: list[tuple[int | None, int, Decimal, Decimal, int, ItemInfo | None]]


@dataclass(frozen=True)
class TillReturn:
    """A partial refund: the sale, the units of its lines brought back and what was paid back, the credit note's VAT."""

    sale_id: int
    vat: Decimal
    lines: list[tuple[int, int, Decimal]]  # (sale line id, quantity, amount)


def _till_sales(sale_ids: Iterable[int]) -> dict[int, TillSale]:
    sale_ids = list(sale_ids)
    lines: dict[int, list] = defaultdict(list)
    for sale_id, variant_id, quantity, unit_price, total, line_id, product_id, category_id, producer_id, district in (
        SaleLine.objects.filter(sale_id__in=sale_ids)
        .order_by("sale_id", "position", "pk")
        .values_list(
            "sale_id", "variant_id", "quantity", "unit_price", "total", "pk", "product_id", "category_id",
            "producer_id", "district_code",
        )
    ):  # fmt: skip
        sold_as = None
        if variant_id and product_id:
            sold_as = ItemInfo(product_id, category_id or 0, producer_id or 0, district, unit_price)
        lines[sale_id].append((variant_id, quantity, unit_price, total, line_id, sold_as))
    return {
        pk: TillSale("tea" if location == "tea" else "counter", bill_discount, total, vat, lines[pk])
        for pk, location, bill_discount, total, vat in Sale.objects.filter(pk__in=sale_ids).values_list(
            "pk", "register__location_code", "bill_discount", "total", "vat"
        )
    }


def _till_returns(*, return_ids: list[int], sale_ids: list[int]) -> dict[int, TillReturn]:
    """These partial refunds and every partial refund of these sales, by id."""
    if not return_ids and not sale_ids:
        return {}
    found = SaleReturn.objects.filter(Q(pk__in=return_ids) | Q(sale_id__in=sale_ids)).values_list(
        "pk", "sale_id", "credit_note__vat"
    )
    heads = {pk: (sale_id, vat) for pk, sale_id, vat in found}
    lines: dict[int, list] = defaultdict(list)
    for return_id, line_id, quantity, amount in (
        SaleReturnLine.objects.filter(sale_return_id__in=list(heads))
        .order_by("sale_return_id", "sale_line__position", "pk")
        .values_list("sale_return_id", "sale_line_id", "quantity", "amount")
    ):
        lines[return_id].append((line_id, quantity, amount))
    return {pk: TillReturn(sale_id, vat, lines[pk]) for pk, (sale_id, vat) in heads.items()}


def _till_lines(sale: TillSale) -> list[RawLine]:
    """The sale's lines, each net of its share of the bill discount as the tax invoice's lines are valued
    (`tax.services.lines_left`: the discount split at the running total), so the units a partial refund
    credits at their line's value come out of the same figure."""
    totals = [total for _variant, _quantity, _price, total, _line, _sold_as in sale.lines]
    nets = totals if sale.bill_discount == 0 else [
        total - share for total, share in zip(totals, split_price(sale.bill_discount, totals), strict=True)
    ]  # fmt: skip
    vats = split_price(sale.vat, nets)
    return [
        (variant_id, quantity, line_total(unit_price, quantity), net, vat, sold_as)
        for (variant_id, quantity, unit_price, _total, _line, sold_as), net, vat in zip(
            sale.lines, nets, vats, strict=True
        )
    ]


def _return_lines(sale: TillSale, returned: TillReturn) -> list[RawLine]:
    """A partial refund's lines: the units at their shelf price, what was paid back for them, the credit
    note's VAT spread over those amounts."""
    sold = {
        line_id: (variant_id, unit_price, sold_as) for variant_id, _q, unit_price, _t, line_id, sold_as in sale.lines
    }
    vats = split_price(returned.vat, [amount for _line, _quantity, amount in returned.lines])
    return [
        (sold[line_id][0], quantity, line_total(sold[line_id][1], quantity), amount, vat, sold[line_id][2])
        for (line_id, quantity, amount), vat in zip(returned.lines, vats, strict=True)
    ]


def _negated(fact: Fact) -> Fact:
    return replace(fact, quantity=-fact.quantity, gross=-fact.gross, discount=-fact.discount, net=-fact.net,
                   vat=-fact.vat)  # fmt: skip


def till_documents(rows: list[tuple[str, str, int, datetime, bool]]) -> list[Document]:
    """(source, key, sale id, when, is_return) → documents: a sale, a partial refund (its key the SaleReturn's
    id) or a void, which takes back the whole sale less the facts of its partial refunds."""
    sales = _till_sales({sale_id for _source, _key, sale_id, _when, _return in rows})
    returns = _till_returns(
        return_ids=[int(key) for source, key, *_rest in rows if source == TILL_RETURN],
        sale_ids=[sale_id for source, _key, sale_id, *_rest in rows if source == TILL_VOID],
    )
    returns_of: dict[int, list[TillReturn]] = defaultdict(list)
    for _pk, returned in sorted(returns.items()):
        returns_of[returned.sale_id].append(returned)
    raw = []
    for source, key, sale_id, when, _return in rows:
        sale = sales[sale_id]
        if source == TILL_RETURN:
            raw.append((source, key, sale, when, [_return_lines(sale, returns[int(key)])]))
        elif source == TILL_VOID:
            raw.append((source, key, sale, when, [_till_lines(sale)] + [
                _return_lines(sale, returned) for returned in returns_of[sale_id]
            ]))  # fmt: skip
        else:
            raw.append((source, key, sale, when, [_till_lines(sale)]))
    info, recipes = _item_info(line[0] for *_rest, parts in raw for lines in parts for line in lines if line[0])
    documents = []
    for source, key, sale, when, (lines, *given_back) in raw:
        day = business_day(when)
        is_return = source != TILL_SALE
        facts = _facts(lines, day=day, channel=sale.channel, is_return=is_return, info=info, recipes=recipes)
        for returned_lines in given_back:
            # Units a partial refund already took back: the void does not take them again.
            facts += [_negated(fact) for fact in _facts(
                returned_lines, day=day, channel=sale.channel, is_return=True, info=info, recipes=recipes
            )]  # fmt: skip
        documents.append(Document(source, key, day, facts, counted=source != TILL_RETURN))
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
    if source == TILL_RETURN:
        return SaleReturn.objects.values_list("pk", "pk")
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
    if source == TILL_RETURN:
        returns = SaleReturn.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "sale_id", "done_at")
        return [(TILL_RETURN, str(pk), sale_id, done_at, True) for pk, sale_id, done_at in returns]
    if source in (ORDER_PAID, ORDER_REFUND):
        events = OrderEvent.objects.filter(pk__in=ids).select_related("order").prefetch_related("order__lines")
        return list(events.order_by("pk"))
    return list(PaymentEvent.objects.filter(pk__in=ids).select_related("payment").order_by("pk"))


def _documents(source: str, rows: list) -> list[Document]:
    if source in (TILL_SALE, TILL_VOID, TILL_RETURN):
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
    done = already_added(source, keys)
    fresh: dict[str, int] = {}
    for pk, key in candidates:
        if key not in done and key not in fresh:
            fresh[key] = pk
    more = len(fresh) > BATCH or len(candidates) == limit
    chosen = list(fresh.values())[:BATCH]
    added = add_source_rows(source, chosen) if chosen else 0
    highest = max(chosen) if chosen else candidates[-1][0]
    if highest > cursor.last_id:
        cursor.last_id = highest
        cursor.save(update_fields=["last_id"])
    return added, more


def add_source_rows(source: str, ids: list[int], *, since: date | None = None) -> int:
    """Add the documents behind these row ids of a source (none of them added before); return how many.

    Till sales and voids are summed by the database (one statement a day, see `_till_sums_in_sql`),
    except those that need Python's rules: a bill discount, a gift basket, an empty or very large sale.
    Every other document goes through `_documents` and its facts. Caller holds the transaction.
    """
    sums = Sums()
    if source in (TILL_SALE, TILL_VOID):
        rest = _add_till_in_sql(sums, source, ids, since=since)
        documents = till_documents(rest) if rest else []
    else:
        documents = _documents(source, _load(source, ids))
        if since is not None:
            documents = [document for document in documents if document.day >= since]
    sums.add_documents(documents)
    sums.write()
    return sums.document_count


# --- writing sums ---------------------------------------------------------------------------

DAILY_KEY = ("day", "channel", "category_id", "district_code", "producer_id")
DAILY_SUMS = ("quantity", "gross", "discount", "net", "vat", "returns", "documents")
MONTHLY_KEY = ("month", "channel", "category_id", "district_code", "producer_id")
MONTH_KEY = ("month", "channel", "product_id")
MONTH_ATTRIBUTES = ("producer_id", "district_code", "category_id")
MONTH_SUMS = ("quantity", "net", "vat")
# Sales whose sums the database works out: totals below this (in satang) keep its integer products in range.
SQL_SALE_LIMIT = 100_000_000


def _new_daily() -> dict[str, Decimal | int]:
    return dict.fromkeys(DAILY_SUMS, 0)


class Sums:
    """The cells one run adds to: day cells, product-month cells and the documents to remember."""

    def __init__(self) -> None:
        self.daily: dict[tuple, dict] = defaultdict(_new_daily)
        self.products: dict[tuple, dict] = {}
        self.rolled: list[tuple[str, str, date]] = []
        self.rolled_in_sql: list[tuple[str, list[tuple[int, int]], date]] = []  # (source, id runs, day)
        self.document_count = 0

    def add_product(self, key: tuple, attributes: tuple, quantity: int, net: Decimal, vat: Decimal) -> None:
        entry = self.products.get(key)
        if entry is None:
            self.products[key] = entry = {"attributes": attributes, "quantity": 0, "net": ZERO, "vat": ZERO}
        entry["quantity"] += quantity
        entry["net"] += net
        entry["vat"] += vat

    def add_documents(self, documents: list[Document]) -> None:
        for document in documents:
            counted = set()
            for fact in document.facts:
                key = (fact.day, fact.channel, fact.category_id, fact.district_code, fact.producer_id)
                sums = self.daily[key]
                sums["quantity"] += fact.quantity
                sums["gross"] += fact.gross
                sums["discount"] += fact.discount
                sums["net"] += fact.net
                sums["vat"] += fact.vat
                if fact.is_return:
                    sums["returns"] -= fact.net
                if key not in counted:
                    counted.add(key)
                    if document.counted:
                        sums["documents"] += -1 if fact.is_return else 1
                self.add_product(
                    (fact.day.replace(day=1), fact.channel, fact.product_id),
                    (fact.producer_id, fact.district_code, fact.category_id),
                    fact.quantity, fact.net, fact.vat,
                )  # fmt: skip
            self.rolled.append((document.source, document.key, document.day))
        self.document_count += len(documents)

    def write(self) -> None:
        """Add the sums to their rows (created when missing) and remember the documents."""
        if not self.daily and not self.rolled_in_sql:
            return
        monthly: dict[tuple, dict] = defaultdict(_new_daily)
        for (day, *rest), sums in self.daily.items():
            cell = monthly[(day.replace(day=1), *rest)]
            for name in DAILY_SUMS:
                cell[name] += sums[name]
        _upsert(
            DailySales,
            DAILY_KEY,
            (),
            DAILY_SUMS,
            [(*key, *(sums[name] for name in DAILY_SUMS)) for key, sums in self.daily.items()],
        )
        _upsert(
            MonthlySales,
            MONTHLY_KEY,
            (),
            DAILY_SUMS,
            [(*key, *(sums[name] for name in DAILY_SUMS)) for key, sums in monthly.items()],
        )
        _upsert(ProductMonthSales, MONTH_KEY, MONTH_ATTRIBUTES, MONTH_SUMS,
                [(*key, *entry["attributes"], entry["quantity"], entry["net"], entry["vat"])
                 for key, entry in self.products.items()])  # fmt: skip
        now = timezone.now()
        _insert(RolledDocument, ("source", "key", "day", "rolled_at"),
                [(source, key, day, now) for source, key, day in self.rolled])  # fmt: skip
        runs = [(source, first, last, day) for source, day_runs, day in self.rolled_in_sql for first, last in day_runs]
        _insert(RolledRange, ("source", "first_id", "last_id", "day"), runs)
        figures_changed()


def figures_changed() -> None:
    """Mark every cached report figure as old (a new value, never one used before: a clock in µs)."""
    RollupCursor.objects.update_or_create(source=FIGURES, defaults={"last_id": time_module.time_ns() // 1000})


def add_documents(documents: list[Document]) -> None:
    """Add documents' facts to the rollup and remember them. Caller holds the transaction."""
    sums = Sums()
    sums.add_documents(documents)
    sums.write()


def _quoted(names) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _adapted(values: tuple) -> list:
    # SQLite would store a Decimal as text through Django's adapter: give it what Django's own inserts give.
    return [connection.ops.adapt_decimalfield_value(value) if isinstance(value, Decimal) else value
            for value in values]  # fmt: skip


def _chunks(rows: list, columns: int):
    size = max(1, 30000 // columns // 10)  # far below SQLite's and PostgreSQL's limits on parameters
    for index in range(0, len(rows), size):
        yield rows[index : index + size]


def _upsert(model, key_fields, attribute_fields, sum_fields, rows: list[tuple]) -> None:
    """One INSERT … ON CONFLICT DO UPDATE per chunk (SQLite ≥ 3.24 and PostgreSQL): a cell's row is made
    or its sums raised in the same statement. The caller holds the rollup's lock (a cursor row locked for
    update; SQLite's one writer)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = (*key_fields, *attribute_fields, *sum_fields)
    raise_sums = _raise_sums(model, sum_fields)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(columns)):
            cursor.execute(
                f"INSERT INTO {table} ({_quoted(columns)}) VALUES {', '.join([row_marks] * len(chunk))} "  # noqa: S608 - names only
                f"ON CONFLICT ({_quoted(key_fields)}) DO UPDATE SET {raise_sums}",
                [value for row in chunk for value in _adapted(row)],
            )


def _raise_sums(model, sum_fields) -> str:
    """`column = column + excluded.column` for each sum. Money is rounded to its satang there: SQLite keeps a
    DecimalField as a binary float, so a sale and its void added to one row would otherwise leave a remainder
    such as -4.5e-13 where the figure is zero (PostgreSQL's numeric is exact and the rounding changes nothing)."""
    table = connection.ops.quote_name(model._meta.db_table)
    sums = []
    for name in sum_fields:
        column = connection.ops.quote_name(name)
        added = f"{table}.{column} + excluded.{column}"
        field = model._meta.get_field(name)
        if field.get_internal_type() == "DecimalField":
            added = f"ROUND({added}, {int(field.decimal_places)})"
        sums.append(f"{column} = {added}")
    return ", ".join(sums)


def _insert(model, columns, rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(columns)):
            cursor.execute(
                f"INSERT INTO {table} ({_quoted(columns)}) VALUES {', '.join([row_marks] * len(chunk))}",  # noqa: S608
                [
                    value
                    for row in chunk
                    for value in _adapted(
                        tuple(
                            connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in row
                        )
                    )
                ],
            )


# --- till sales summed by the database ----------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def id_runs(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Ids as runs of consecutive integers, in order: [7, 1, 2, 3] → [(1, 3), (7, 7)]."""
    runs: list[list[int]] = []
    for pk in sorted(set(ids)):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return [(first, last) for first, last in runs]


def _ids_q(field: str, runs: list[tuple[int, int]]) -> Q:
    singles = [first for first, last in runs if first == last]
    parts = [Q(**{f"{field}__in": singles})] if singles else []
    parts += [Q(**{f"{field}__range": (first, last)}) for first, last in runs if first != last]
    return reduce(operator.or_, parts)


def _ids_sql(column: str, runs: list[tuple[int, int]]) -> tuple[str, list[int]]:
    singles = [first for first, last in runs if first == last]
    parts = [f"{column} IN ({', '.join(['%s'] * len(singles))})"] if singles else []
    params = list(singles)
    for first, last in runs:
        if first != last:
            parts.append(f"{column} BETWEEN %s AND %s")
            params += [first, last]
    return "(" + " OR ".join(parts) + ")", params


def _add_till_in_sql(sums: Sums, source: str, ids: list[int], *, since: date | None) -> list[tuple]:
    """Add the till documents behind these ids that the database can sum as Python would, one statement a day
    (`_till_sums_in_sql`); return `_load`'s rows of the others, for Python's rules. The ids travel as runs of
    consecutive ids, so a day of sales is a few ranges, not thousands of parameters."""
    runs = id_runs(ids)
    if not runs:
        return []
    rest = _documents_for_python(source, runs)
    odd = {int(row[1]) for row in rest}
    if since is not None:
        rest = [row for row in rest if business_day(row[3]) >= since]
    simple = [pk for first, last in runs for pk in range(first, last + 1) if pk not in odd]
    for day, day_ids in sorted(_days(source, runs, simple).items()):
        if since is None or day >= since:
            _till_sums_in_sql(sums, source, id_runs(day_ids), day=day)
    return rest


def _documents_for_python(source: str, runs: list[tuple[int, int]]) -> list[tuple]:
    """`_load`'s rows of the till documents among these that need Python's rules: a bill discount, a gift
    basket or a negative line, a subtotal of zero or less or too large for exact integer arithmetic in satang,
    a void of a sale with partial refunds.
    One query; nearly always an empty answer."""
    baskets = Variant.objects.filter(product__is_basket=True).values("pk")
    if source == TILL_SALE:
        documents, sale, sale_id, when = Sale.objects.filter(_ids_q("pk", runs)), "", "pk", "sold_at"
    else:
        documents, sale, sale_id, when = SaleVoid.objects.filter(_ids_q("pk", runs)), "sale__", "sale_id", "done_at"
    # A sale's lines by the sale ids themselves (a range scan), a void's through its sales.
    of_documents = _ids_q("sale__id", runs) if source == TILL_SALE else Q(sale_id__in=documents.values(sale_id))
    odd_lines = SaleLine.objects.filter(of_documents).filter(Q(variant_id__in=baskets) | Q(total__lt=0))
    odd = (
        ~Q(**{f"{sale}bill_discount": 0})
        | Q(**{f"{sale}subtotal__lte": 0})
        | Q(**{f"{sale}subtotal__gte": Decimal(SQL_SALE_LIMIT) / 100})
        | Q(**{f"{sale_id}__in": odd_lines.values("sale_id")})
    )
    if source == TILL_VOID:
        odd |= Q(sale_id__in=SaleReturn.objects.values("sale_id"))  # the void takes back only what is left
    found = documents.filter(odd).order_by("pk").values_list("pk", sale_id, when)
    return [(source, str(pk), sale_pk, at, source == TILL_VOID) for pk, sale_pk, at in found]


def _days(source: str, runs: list[tuple[int, int]], ids: list[int]) -> dict[date, list[int]]:
    """These documents' ids by business day. Nearly always they fall on one day, which the earliest and the
    latest time show; only otherwise is each document's time read."""
    model, when = (Sale, "sold_at") if source == TILL_SALE else (SaleVoid, "done_at")
    if not ids:
        return {}
    documents = model.objects.filter(_ids_q("pk", runs))
    span = documents.aggregate(first=Min(when), last=Max(when))
    if business_day(span["first"]) == business_day(span["last"]):
        return {business_day(span["first"]): ids}
    wanted = set(ids)
    by_day: dict[date, list[int]] = defaultdict(list)
    for pk, at in documents.values_list("pk", when):
        if pk in wanted:
            by_day[business_day(at)].append(pk)
    return by_day


def _satang(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


CELLS_TABLE = "reports_till_day_cells"


def _till_sums_in_sql(sums: Sums, source: str, runs: list[tuple[int, int]], *, day: date) -> None:
    """Add one day's simple till sales (or their voids) to the rollup inside the database, in whole satang.

    Each sold line carries what the rollup groups by (product, category, producer and district as sold) and
    its share of the sale's VAT (`pos.SaleLine`), so adding a day is a scan of the day's lines by their
    sale ids and a GROUP BY, with no joins to the catalogue and no window functions: once per cell (channel ×
    category × district × producer, the sales counted with COUNT(DISTINCT)) into a temporary table, which
    INSERT … ON CONFLICT DO UPDATE adds to the day and month rows, and once per product straight into the
    product-month rows. Every operand is a BIGINT of satang, so the sums are exact on both databases.
    """
    is_return = source == TILL_VOID
    if is_return:
        documents, params = _ids_sql("d.id", runs)
        chosen = f"{_table(SaleVoid)} d JOIN {_table(Sale)} s ON s.id = d.sale_id"
    else:
        # The ids on both tables, so that no plan joins every sale.
        on_sales, sale_params = _ids_sql("s.id", runs)
        on_lines, line_params = _ids_sql("l.sale_id", runs)
        documents, params = f"{on_sales} AND {on_lines}", sale_params + line_params
        chosen = f"{_table(Sale)} s"
    lines = f"""
        SELECT CASE WHEN r.location_code = 'tea' THEN 'tea' ELSE 'counter' END AS channel,
               COALESCE(l.category_id, 0) AS category_id, l.district_code AS district_code,
               COALESCE(l.producer_id, 0) AS producer_id, COALESCE(l.product_id, 0) AS product_id,
               l.sale_id AS sale_id, l.quantity AS quantity, {_satang("l.unit_price")} * l.quantity AS gross,
               {_satang("l.total")} AS net, {_satang("l.vat")} AS vat
        FROM {chosen}
        JOIN {_table(SaleLine)} l ON l.sale_id = s.id
        JOIN {_table(Register)} r ON r.id = s.register_id
        WHERE {documents}
    """  # noqa: S608 - table names only; the ids are parameters
    cell = "channel, category_id, district_code, producer_id"
    cells = connection.ops.quote_name(CELLS_TABLE)
    sign = "-" if is_return else ""
    returns = "net / 100.0" if is_return else "0"  # noqa: S105 - SQL, not a secret (given back: positive)
    money = f"{sign}quantity, {sign}gross / 100.0, {sign}(gross - net) / 100.0, {sign}net / 100.0, "
    money += f"{sign}vat / 100.0, {returns}, {sign}documents"
    day_value = connection.ops.adapt_datefield_value(day)
    month_value = connection.ops.adapt_datefield_value(day.replace(day=1))
    with connection.cursor() as cursor:
        # One temporary table per connection, emptied each time: a table made and dropped per day would hold a
        # lock each until the transaction ends, and a rebuild (one transaction) runs out of them on PostgreSQL.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {cells} (channel VARCHAR(12), category_id BIGINT, "
            "district_code VARCHAR(4), producer_id BIGINT, quantity BIGINT, gross BIGINT, net BIGINT, vat BIGINT, "
            "documents BIGINT)"
        )
        cursor.execute(f"DELETE FROM {cells}")  # noqa: S608 - a name only
        cursor.execute(
            f"INSERT INTO {cells} SELECT {cell}, SUM(quantity), SUM(gross), SUM(net), SUM(vat), "  # noqa: S608
            f"COUNT(DISTINCT sale_id) FROM ({lines}) f GROUP BY {cell}",
            params,
        )
        for model, key, when in ((DailySales, DAILY_KEY, day_value), (MonthlySales, MONTHLY_KEY, month_value)):
            cursor.execute(
                f"INSERT INTO {_table(model)} ({_quoted((*key, *DAILY_SUMS))}) "  # noqa: S608 - names only
                f"SELECT %s, {cell}, {money} FROM {cells} WHERE 1 = 1 "
                f"ON CONFLICT ({_quoted(key)}) DO UPDATE SET {_raise_sums(model, DAILY_SUMS)}",
                [when],
            )
        cursor.execute(
            f"INSERT INTO {_table(ProductMonthSales)} ({_quoted((*MONTH_KEY, *MONTH_ATTRIBUTES, *MONTH_SUMS))}) "  # noqa: S608
            f"SELECT %s, channel, product_id, MIN(producer_id), MIN(district_code), MIN(category_id), "
            f"{sign}SUM(quantity), {sign}SUM(net) / 100.0, {sign}SUM(vat) / 100.0 FROM ({lines}) f WHERE 1 = 1 "
            f"GROUP BY channel, product_id "
            f"ON CONFLICT ({_quoted(MONTH_KEY)}) DO UPDATE SET {_raise_sums(ProductMonthSales, MONTH_SUMS)}",
            [month_value, *params],
        )
    sums.rolled_in_sql.append((source, runs, day))
    sums.document_count += sum(last - first + 1 for first, last in runs)


def already_added(source: str, keys: list[str]) -> set[str]:
    """Which of these documents' keys the rollup has added: remembered one by one or in a run of ids."""
    done = set(RolledDocument.objects.filter(source=source, key__in=keys).values_list("key", flat=True))
    if source in (TILL_SALE, TILL_VOID) and keys:
        numbers = sorted(int(key) for key in keys)
        runs = RolledRange.objects.filter(source=source, last_id__gte=numbers[0], first_id__lte=numbers[-1])
        for first, last in runs.values_list("first_id", "last_id"):
            done.update(str(pk) for pk in numbers[bisect_left(numbers, first) : bisect_right(numbers, last)])
    return done


def remembered() -> list[tuple[str, str, date]]:
    """Every document the rollup has added, as (source, key, day), however it is remembered."""
    documents = list(RolledDocument.objects.values_list("source", "key", "day"))
    for source, first, last, day in RolledRange.objects.values_list("source", "first_id", "last_id", "day"):
        documents += [(source, str(pk), day) for pk in range(first, last + 1)]
    return sorted(documents)


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
        RolledRange.objects.all().delete()
        RollupCursor.objects.filter(source__in=SOURCES).update(last_id=0)
        figures_changed()
        return roll_up_new_documents()
    start = since.replace(day=1)
    DailySales.objects.filter(day__gte=start).delete()
    MonthlySales.objects.filter(month__gte=start).delete()
    ProductMonthSales.objects.filter(month__gte=start).delete()
    RolledDocument.objects.filter(day__gte=start).delete()
    RolledRange.objects.filter(day__gte=start).delete()
    figures_changed()
    after = _start_of(start)
    since_filters = {
        TILL_SALE: {"sold_at__gte": after},
        TILL_VOID: {"done_at__gte": after},
        TILL_RETURN: {"done_at__gte": after},
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
            rolled = already_added(source, keys)
            ids = [pk for pk, key in chunk if str(key) not in rolled]
            added += add_source_rows(source, ids, since=start)
    added += roll_up_new_documents()
    return added
