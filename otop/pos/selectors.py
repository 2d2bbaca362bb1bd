"""Reads for the till: lookups by barcode and name, the offline catalogue snapshot, shift totals, Z-reports."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, prefetch_related_objects
from django.utils import timezone

from otop.catalog.models import ProductPhoto, Variant
from otop.catalog.renditions import small_picture_url, small_picture_url_of
from otop.catalog.selectors import attach_card_photos, sellable_variants
from otop.core.collation import sort_by_name
from otop.core.money import ZERO, to_satang
from otop.payments.models import Payment, Refund
from otop.pos.models import MenuItem, MenuOption, Register, Sale, SaleLine, SaleReturn, SaleReturnLine, SaleVoid, Shift
from otop.search.selectors import search_variants as thai_search

SNAPSHOT_FIELDS = (
    "id", "barcode", "sku", "price", "name_th", "product__name_th", "product__name_en", "name_en",
    "product__producer__name_th", "product__producer__name_en", "product__category__code",
)  # fmt: skip


def registers() -> QuerySet[Register]:
    return Register.objects.filter(is_active=True).order_by("code")


def open_shift_of(register: Register) -> Shift | None:
    return Shift.objects.filter(register=register, status=Shift.Status.OPEN).first()


def variant_for_barcode(code: str) -> Variant | None:
    """Return the sellable variant with this EAN-13 (one indexed lookup: the scanner path)."""
    code = (code or "").strip()
    if not code:
        return None
    return (
        sellable_variants()
        .select_related("product__producer", "product__category")
        .filter(Q(barcode=code) | Q(sku=code))
        .first()
    )


def search_variants(query: str, *, limit: int = 20) -> list[Variant]:
    """Find sellable variants by SKU, or by name with the site's Thai search."""

    query = (query or "").strip()
    if not query:
        return []
    by_sku = list(sellable_variants().select_related("product").filter(sku__iexact=query)[:1])
    found = by_sku + [v for v in thai_search(query, limit=limit) if v.pk not in {x.pk for x in by_sku}]
    return found[:limit]


def variant_row(variant: Variant) -> dict:
    """The shape the register keeps for an item (in the offline snapshot and in answers): with the producer
    and a small picture, so a cashier tells apart products of the same name from different villages."""
    product = variant.product
    name_th = f"{product.name_th} {variant.name_th}".strip()
    name_en = f"{product.name_en or product.name_th} {variant.name_en}".strip()
    return {"id": variant.pk, "barcode": variant.barcode or "", "sku": variant.sku, "price": str(variant.price),
            "name_th": name_th, "name_en": name_en, "producer_th": product.producer.name_th,
            "producer_en": product.producer.name_en or product.producer.name_th,
            "image": small_picture_url_of(product)}  # fmt: skip


def variant_rows(variants: list[Variant]) -> list[dict]:
    """`variant_row` for many variants, their producers, categories and photos read in a fixed number of queries."""
    prefetch_related_objects(variants, "product__producer", "product__category")
    attach_card_photos([variant.product for variant in variants])
    return [variant_row(variant) for variant in variants]


def catalog_snapshot() -> list[dict]:
    """Every sellable variant as compact rows, for the register's offline price list."""
    first_photo = ProductPhoto.objects.filter(product_id=OuterRef("product_id")).order_by("sort_order", "id")
    rows = (
        sellable_variants()
        .annotate(
            photo_name=Subquery(first_photo.values("image")[:1]),
            photo_widths=Subquery(first_photo.values("rendition_widths")[:1]),
        )
        .order_by("id")
        .values_list(*SNAPSHOT_FIELDS, "photo_name", "photo_widths")
    )
    storage = ProductPhoto._meta.get_field("image").storage
    return [
        {
            "id": pk,
            "barcode": barcode or "",
            "sku": sku,
            "price": str(price),
            "name_th": f"{product_th} {variant_th}".strip(),
            "name_en": f"{product_en or product_th} {variant_en}".strip(),
            "producer_th": producer_th,
            "producer_en": producer_en or producer_th,
            "image": small_picture_url(
                image_name=photo_name or "", widths=_widths(photo_widths), category_code=category, storage=storage
            ),
        }
        for (pk, barcode, sku, price, variant_th, product_th, product_en, variant_en, producer_th, producer_en,
             category, photo_name, photo_widths) in rows.iterator(chunk_size=5000)
    ]  # fmt: skip


def _widths(value) -> list[int]:
    # A JSON value read through a subquery comes back as text on some databases.
    if isinstance(value, str):
        value = json.loads(value)
    return [int(width) for width in value or []]


def current_prices() -> dict[str, str]:
    """Every price a register can charge: variants ("v<id>"), menu items ("m<id>"), options ("o<register>:<code>")."""
    prices = {f"v{pk}": str(price) for pk, price in sellable_variants().values_list("pk", "price")}
    prices.update({f"m{pk}": str(price) for pk, price in MenuItem.objects.values_list("pk", "price")})
    prices.update(
        {f"o{register}:{code}": str(price) for register, code, price in MenuOption.objects.values_list(
            "register_id", "code", "price")}
    )  # fmt: skip
    return prices


def best_sellers(register: Register, *, limit: int = 8, now: datetime | None = None) -> list[Variant]:
    """The variants sold most at this register over the last 30 days (its quick keys)."""
    since = (now or timezone.now()) - timedelta(days=30)
    top = (
        SaleLine.objects.filter(
            sale__register=register, sale__sold_at__gte=since, sale__status=Sale.Status.COMPLETED, variant__isnull=False
        )
        .values("variant_id")
        .annotate(sold=Sum("quantity"))
        .order_by("-sold", "variant_id")[:limit]
    )
    ids = [row["variant_id"] for row in top]
    found = sellable_variants().select_related("product").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def menu_of(register: Register) -> tuple[list[MenuItem], list[MenuOption]]:
    items = list(MenuItem.objects.filter(register=register, is_active=True).order_by("sort_order", "code"))
    options = list(MenuOption.objects.filter(register=register).order_by("group", "sort_order"))
    return items, options


def returned_quantities(sale: Sale) -> dict[int, int]:
    """Sale line id → units partial refunds took back of it."""
    rows = SaleReturnLine.objects.filter(sale_return__sale=sale).values("sale_line_id").annotate(units=Sum("quantity"))
    return {row["sale_line_id"]: row["units"] for row in rows}


def returns_of(sale: Sale) -> list[SaleReturn]:
    return list(SaleReturn.objects.filter(sale=sale).select_related("credit_note").prefetch_related("lines__sale_line"))


# --- shift figures and the Z-report --------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int
    amount: Decimal


@dataclass
class ShiftTotals:
    sales_count: int = 0
    gross: Decimal = ZERO
    vat: Decimal = ZERO
    discounts: Decimal = ZERO
    by_method: dict[str, Decimal] = field(default_factory=dict)
    voids_count: int = 0
    voids_amount: Decimal = ZERO
    refunds_count: int = 0
    refunds_amount: Decimal = ZERO
    returns_count: int = 0  # partial refunds done in this shift
    returns_amount: Decimal = ZERO
    cash_out: Decimal = ZERO  # cash handed back for voids, refunds and partial refunds done in this shift

    @property
    def cash_net(self) -> Decimal:
        return self.by_method.get(Payment.Method.CASH, ZERO) - self.cash_out


def _cash_of(sale_ids: list[int]) -> Decimal:
    """The cash the sales took, less the cash partial refunds already gave back of those payments."""
    if not sale_ids:
        return ZERO
    cash = Payment.objects.filter(sale__in=sale_ids, method=Payment.Method.CASH).aggregate(s=Sum("amount"))["s"]
    given_back = Refund.objects.filter(payment__sale__in=sale_ids, payment__method=Payment.Method.CASH).aggregate(
        s=Sum("amount")
    )["s"]
    return to_satang((cash or ZERO) - (given_back or ZERO))


def _returned_amounts(sale_ids: list[int]) -> dict[int, Decimal]:
    rows = SaleReturn.objects.filter(sale__in=sale_ids).values("sale_id").annotate(amount=Sum("amount"))
    return {row["sale_id"]: row["amount"] for row in rows}


def shift_totals(shift: Shift) -> ShiftTotals:
    """Sales taken in a shift (voided ones count until voided: they were paid, then paid back)."""
    totals = ShiftTotals()
    sales = Sale.objects.filter(shift=shift)
    paid = sales.aggregate(
        count=Count("id"), total=Sum("total"), vat=Sum("vat"), discount=Sum("bill_discount")
    )  # every sale rung up, completed or not
    line_discounts = SaleLine.objects.filter(sale__shift=shift).aggregate(d=Sum("discount"))["d"] or ZERO
    totals.sales_count = paid["count"]
    for row in Payment.objects.filter(sale__shift=shift).values("method").annotate(amount=Sum("amount")):
        totals.by_method[row["method"]] = to_satang(row["amount"])
    voids = list(SaleVoid.objects.filter(shift=shift).select_related("sale"))
    # A void or refund after partial refunds gives back only what they left.
    returned_before = _returned_amounts([record.sale_id for record in voids])
    for record in voids:
        amount = record.sale.total - returned_before.get(record.sale_id, ZERO)
        if record.sale.status == Sale.Status.VOIDED:
            totals.voids_count += 1
            totals.voids_amount += amount
        else:
            totals.refunds_count += 1
            totals.refunds_amount += amount
    returns = SaleReturn.objects.filter(shift=shift).aggregate(count=Count("id"), amount=Sum("amount"))
    totals.returns_count = returns["count"]
    totals.returns_amount = to_satang(returns["amount"] or ZERO)
    # Partial refunds are paid back in cash from the drawer.
    totals.cash_out = _cash_of([record.sale_id for record in voids]) + totals.returns_amount
    # Net takings: what was rung up in the shift minus what this shift paid back.
    totals.gross = to_satang(
        (paid["total"] or ZERO) - totals.voids_amount - totals.refunds_amount - totals.returns_amount
    )
    totals.vat = to_satang(paid["vat"] or ZERO)
    totals.discounts = to_satang((paid["discount"] or ZERO) + line_discounts)
    return totals


@dataclass
class ZReport:
    shift: Shift
    totals: ShiftTotals
    by_method: list[Row]
    by_category: list[Row]
    by_producer: list[Row]
    first_receipt: str
    last_receipt: str
    shortfall_sales: int
    offline_sales: int


def z_report(shift: Shift) -> ZReport:
    """The end-of-shift report: completed sales by payment method, category and producer."""
    totals = shift_totals(shift)
    completed = Sale.objects.filter(shift=shift, status=Sale.Status.COMPLETED)
    labels = dict(Payment.Method.choices)
    by_method = [
        Row(label=str(labels[row["method"]]), count=row["count"], amount=to_satang(row["amount"]))
        for row in Payment.objects.filter(sale__in=completed)
        .values("method")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("method")
    ]
    # Bill discounts are spread over the lines in proportion, so the rows add up to the takings.
    lines = list(
        SaleLine.objects.filter(sale__in=completed).values(
            "id", "sale_id", "category_name", "producer_name", "total", "sale__subtotal", "sale__bill_discount"
        )
    )
    # What partial refunds paid back of a line is no longer takings of its category and producer.
    returned = dict(
        SaleReturnLine.objects.filter(sale_line__sale__in=completed)
        .values("sale_line_id")
        .annotate(amount=Sum("amount"))
        .values_list("sale_line_id", "amount")
    )
    by_category: dict[str, list] = defaultdict(lambda: [0, ZERO])
    by_producer: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for line in lines:
        amount = line["total"]
        if line["sale__bill_discount"] and line["sale__subtotal"]:
            amount = to_satang(amount - line["sale__bill_discount"] * line["total"] / line["sale__subtotal"])
        amount -= returned.get(line["id"], ZERO)
        for table, key in ((by_category, line["category_name"]), (by_producer, line["producer_name"] or "—")):
            table[key][0] += 1
            table[key][1] += amount
    numbers = list(Sale.objects.filter(shift=shift).order_by("receipt_number").values_list("receipt_number", flat=True))
    prefix = shift.register.receipt_prefix
    return ZReport(
        shift=shift,
        totals=totals,
        by_method=by_method,
        by_category=[
            Row(k, v[0], to_satang(v[1])) for k, v in sort_by_name(by_category.items(), key=lambda row: row[0])
        ],
        by_producer=[
            Row(k, v[0], to_satang(v[1])) for k, v in sort_by_name(by_producer.items(), key=lambda row: row[0])
        ],
        first_receipt=f"{prefix}-{numbers[0]:06d}" if numbers else "",
        last_receipt=f"{prefix}-{numbers[-1]:06d}" if numbers else "",
        shortfall_sales=Sale.objects.filter(shift=shift, has_shortfall=True).count(),
        offline_sales=Sale.objects.filter(shift=shift, recorded_offline=True).count(),
    )


def sales_needing_review(*, limit: int = 100) -> QuerySet[Sale]:
    return (
        Sale.objects.filter(needs_review=True)
        .select_related("register", "cashier")
        .prefetch_related("lines")
        .order_by("-sold_at")[:limit]
    )


def sale_for_receipt(pk: int) -> Sale | None:
    return (
        Sale.objects.select_related("register", "cashier", "shift")
        .prefetch_related("lines", "payments")
        .filter(pk=pk)
        .first()
    )
