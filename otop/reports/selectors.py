"""Read the sales figures: every report reads the rollup tables (never the raw lines) and the targets.

Amounts are VAT-inclusive net sales after discounts, returns taken off; `net_ex_vat` shows them without VAT.
Sales reported by producers from outside the center (`OutsideSales`) are kept in their own fields and
count only toward the province's figures.
"""

from __future__ import annotations

import calendar
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pythainlp.util import collate

from otop.catalog.models import Category, Product
from otop.core.i18n import current_language, localized
from otop.core.money import ZERO
from otop.core.selectors import center_profile
from otop.core.thaidates import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS_SHORT, THAI_MONTHS_SHORT
from otop.geo.models import District
from otop.producers.models import Producer
from otop.reports.models import (
    FIGURES_VERSION,
    DailySales,
    MonthlySales,
    OutsideSales,
    ProductMonthSales,
    RollupCursor,
    Target,
)

GROUPS = ("district", "category", "channel", "producer", "month")
CACHE_SECONDS = 300  # names of products, producers and districts shown may lag this much; figures never do

CHANNEL_LABELS = {
    "counter": _("Shop counter"),
    "tea": _("Tea corner"),
    "web": pgettext_lazy("sales channel", "Website"),
    "api": pgettext_lazy("sales channel", "API"),
    "line": pgettext_lazy("sales channel", "LINE"),
    "facebook": pgettext_lazy("sales channel", "Facebook"),
    "instagram": pgettext_lazy("sales channel", "Instagram"),
    "room": _("Meeting room (services)"),
}
T = TypeVar("T")
CENTER_OWN = _("The center's own (tea menu, room)")
OTHER_PROVINCES = _("Other provinces")


def figures_version() -> int:
    return RollupCursor.objects.filter(source=FIGURES_VERSION).values_list("last_id", flat=True).first() or 0


def cached(name: str, compute: Callable[[], T], *about) -> T:
    """`compute()` once per version of the figures, language, day and `about` (e.g. the filters).

    The rollup, targets and outside sales mark every change (`rollup.figures_changed`), so a cached answer
    is never older than the figures; one query reads the version. Each process keeps its own copies.
    """
    described = repr((about, current_language(), timezone.localdate()))
    key = f"reports:{name}:{figures_version()}:{hashlib.sha256(described.encode()).hexdigest()[:32]}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


def gregorian_year(buddhist_year: int) -> int:
    return buddhist_year - BUDDHIST_ERA_OFFSET


def current_buddhist_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year + BUDDHIST_ERA_OFFSET


@dataclass(frozen=True)
class Filters:
    """What a report covers: a Buddhist-era year, months first..last, and optional channel/category/district."""

    year: int
    first_month: int = 1
    last_month: int = 12
    channel: str = ""
    category_id: int = 0
    district_code: str = ""
    producer_id: int = 0

    @property
    def start(self) -> date:
        return date(gregorian_year(self.year), self.first_month, 1)

    @property
    def end(self) -> date:
        """The last day included."""
        year = gregorian_year(self.year)
        return date(year, self.last_month, calendar.monthrange(year, self.last_month)[1])

    def last_year(self) -> Filters:
        return Filters(self.year - 1, self.first_month, self.last_month, self.channel, self.category_id,
                       self.district_code, self.producer_id)  # fmt: skip

    @property
    def is_whole_year(self) -> bool:
        return self.first_month == 1 and self.last_month == 12


@dataclass
class Row:
    key: str
    label: str
    net: Decimal = ZERO
    vat: Decimal = ZERO
    quantity: int = 0
    returns: Decimal = ZERO
    target: Decimal | None = None
    last_year: Decimal | None = None
    outside: Decimal = ZERO

    @property
    def net_ex_vat(self) -> Decimal:
        return self.net - self.vat

    @property
    def percent_of_target(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.net * 100 / self.target).quantize(Decimal("0.1"))


@dataclass
class Summary:
    filters: Filters
    net: Decimal
    vat: Decimal
    gross: Decimal
    discount: Decimal
    returns: Decimal
    quantity: int
    target: Decimal | None
    forecast: Decimal | None
    outside: Decimal
    province_target: Decimal | None
    as_of: date
    days_counted: int
    rows: list[Row] = field(default_factory=list)

    @property
    def net_ex_vat(self) -> Decimal:
        return self.net - self.vat

    @property
    def percent_of_target(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.net * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def forecast_percent(self) -> Decimal | None:
        if not self.target or self.forecast is None:
            return None
        return (self.forecast * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def province_total(self) -> Decimal:
        """Measured at the center plus what producers reported from elsewhere."""
        return self.net + self.outside


def _rollup(filters: Filters, *, ignore: str = "") -> QuerySet[MonthlySales]:
    # Periods are whole months, so the monthly sums answer every report; the daily rows stay the fact source.
    rows = MonthlySales.objects.filter(month__gte=filters.start, month__lte=filters.end)
    if filters.channel and ignore != "channel":
        rows = rows.filter(channel=filters.channel)
    if filters.category_id and ignore != "category":
        rows = rows.filter(category_id=filters.category_id)
    if filters.district_code and ignore != "district":
        rows = rows.filter(district_code=filters.district_code)
    if filters.producer_id and ignore != "producer":
        rows = rows.filter(producer_id=filters.producer_id)
    return rows


def _outside(filters: Filters) -> QuerySet[OutsideSales]:
    rows = OutsideSales.objects.filter(month__gte=filters.start, month__lte=filters.end)
    if filters.district_code:
        rows = rows.filter(district_code=filters.district_code)
    if filters.producer_id:
        rows = rows.filter(producer_id=filters.producer_id)
    return rows


def targets(*, year: int, scope: str, dimension: str, first_month: int = 1, last_month: int = 12) -> dict[str, Decimal]:
    """Target per key for a year's months: the yearly target for a whole year, else the months' targets
    (a yearly target without months is spread by days for part of a year)."""
    rows = Target.objects.filter(year=year, scope=scope, dimension=dimension)
    yearly = {row.key: row.amount for row in rows if row.month == 0}
    monthly: dict[str, Decimal] = defaultdict(Decimal)
    months_with: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.month:
            months_with[row.key].add(row.month)
            if first_month <= row.month <= last_month:
                monthly[row.key] += row.amount
    result: dict[str, Decimal] = {}
    gregorian = gregorian_year(year)
    days_in_year = 366 if calendar.isleap(gregorian) else 365
    wanted_days = sum(calendar.monthrange(gregorian, month)[1] for month in range(first_month, last_month + 1))
    for key in set(yearly) | set(monthly):
        if first_month == 1 and last_month == 12 and key in yearly:
            result[key] = yearly[key]
        elif key in months_with:
            result[key] = monthly[key]
        else:
            result[key] = (yearly[key] * wanted_days / days_in_year).quantize(Decimal("1"))
    return result


def summary(filters: Filters, *, today: date | None = None) -> Summary:
    """Sales so far against the center's target, the run-rate forecast to the period's end, and the
    province's view (the center's measured sales plus producers' reported outside sales)."""
    today = today or timezone.localdate()
    sums = _rollup(filters).aggregate(
        net=Sum("net"), vat=Sum("vat"), gross=Sum("gross"), discount=Sum("discount"), returns=Sum("returns"),
        quantity=Sum("quantity"),
    )  # fmt: skip
    net = sums["net"] or ZERO
    target = _target_for(filters, Target.Scope.CENTER)
    province_target = _target_for(filters, Target.Scope.PROVINCE)
    as_of = min(today, filters.end)
    days_counted = max((as_of - filters.start).days + 1, 0)
    days_total = (filters.end - filters.start).days + 1
    forecast = None
    if days_counted > 0:
        forecast = (net * days_total / days_counted).quantize(Decimal("0.01"))
    outside = _outside(filters).aggregate(total=Sum("amount"))["total"] or ZERO
    return Summary(
        filters=filters, net=net, vat=sums["vat"] or ZERO, gross=sums["gross"] or ZERO,
        discount=sums["discount"] or ZERO, returns=sums["returns"] or ZERO, quantity=sums["quantity"] or 0,
        target=target, forecast=forecast, outside=outside, province_target=province_target, as_of=as_of,
        days_counted=days_counted,
    )  # fmt: skip


def _target_for(filters: Filters, scope: str) -> Decimal | None:
    """The target matching the filters: one dimension filtered → that key's target; none → the total."""
    dimension, key = "total", ""
    for name, value in (
        ("channel", filters.channel),
        ("category", _category_code(filters.category_id)),
        ("district", filters.district_code),
        ("producer", str(filters.producer_id or "")),
    ):
        if value:
            if dimension != "total":
                return None
            dimension, key = name, value
    found = targets(
        year=filters.year, scope=scope, dimension=dimension, first_month=filters.first_month,
        last_month=filters.last_month,
    )  # fmt: skip
    return found.get(key)


def _category_code(category_id: int) -> str:
    if not category_id:
        return ""
    return Category.objects.filter(pk=category_id).values_list("code", flat=True).first() or ""


def _rows(filters: Filters, column: str, ignore: str) -> dict:
    return {
        row[column]: row
        for row in _rollup(filters, ignore=ignore)
        .values(column)
        .annotate(net=Sum("net"), vat=Sum("vat"), quantity=Sum("quantity"), returns=Sum("returns"))
    }


def _fill(row: Row, sums: dict | None) -> Row:
    if sums:
        row.net, row.vat, row.quantity, row.returns = sums["net"], sums["vat"], sums["quantity"], sums["returns"]
    return row


def _ranked(rows: list[Row]) -> list[Row]:
    """Highest sales first; equal sales in Thai dictionary order of their names."""
    order = {label: index for index, label in enumerate(collate([row.label for row in rows]))}
    return sorted(rows, key=lambda row: (-row.net, order[row.label]))


def month_label(month: int) -> str:
    return (THAI_MONTHS_SHORT if current_language() == "th" else ENGLISH_MONTHS_SHORT)[month - 1]


def by_district(filters: Filters) -> list[Row]:
    """Every district of the center's province, ranked (none left out), then other provinces and the center's own."""
    sums = _rows(filters, "district_code", "district")
    goals = targets(year=filters.year, scope=Target.Scope.CENTER, dimension="district",
                    first_month=filters.first_month, last_month=filters.last_month)  # fmt: skip
    outside = dict(
        _outside(filters).values("district_code").annotate(total=Sum("amount")).values_list("district_code", "total")
    )
    province = center_profile().province_id
    rows = []
    for district in District.objects.filter(province_id=province):
        row = _fill(Row(key=district.code, label=localized(district, "name")), sums.pop(district.code, None))
        row.target = goals.get(district.code)
        row.outside = outside.get(district.code, ZERO)
        rows.append(row)
    rows = _ranked(rows)
    own = sums.pop("", None)
    if sums:
        other = Row(key="other", label=str(OTHER_PROVINCES))
        for values in sums.values():
            other.net += values["net"]
            other.vat += values["vat"]
            other.quantity += values["quantity"]
            other.returns += values["returns"]
        rows.append(other)
    if own:
        rows.append(_fill(Row(key="", label=str(CENTER_OWN)), own))
    return rows


def by_category(filters: Filters) -> list[Row]:
    sums = _rows(filters, "category_id", "category")
    goals = targets(year=filters.year, scope=Target.Scope.CENTER, dimension="category",
                    first_month=filters.first_month, last_month=filters.last_month)  # fmt: skip
    rows = []
    for category in Category.objects.all():
        row = _fill(Row(key=str(category.pk), label=localized(category, "name")), sums.pop(category.pk, None))
        row.target = goals.get(category.code)
        rows.append(row)
    rows = _ranked(rows)
    if 0 in sums:
        rows.append(_fill(Row(key="0", label=str(CENTER_OWN)), sums.pop(0)))
    return rows


def channel_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(channel, channel))


def by_channel(filters: Filters) -> list[Row]:
    sums = _rows(filters, "channel", "channel")
    goals = targets(year=filters.year, scope=Target.Scope.CENTER, dimension="channel",
                    first_month=filters.first_month, last_month=filters.last_month)  # fmt: skip
    rows = []
    for channel in dict.fromkeys([*CHANNEL_LABELS, *sums]):
        if channel not in sums and channel not in goals and channel in ("facebook", "instagram", "api"):
            continue
        row = _fill(Row(key=channel, label=channel_label(channel)), sums.get(channel))
        row.target = goals.get(channel)
        rows.append(row)
    return _ranked(rows)


@dataclass(frozen=True)
class DaySales:
    channel: str
    label: str
    net: Decimal


# Shown on the back-office home even with no sale yet today; the other channels appear once they sell.
EVERYDAY_CHANNELS = ("counter", "tea", "web", "line")


def sales_on(day: date) -> list[DaySales]:
    """Net sales of one business day by channel, from the rollup (one query; it lags the tills a minute at most)."""
    # Not the number of sales: a rollup row counts a document once per producer, so a sum over them would not.
    sums = dict(
        DailySales.objects.filter(day=day)
        .values("channel")
        .annotate(net=Sum("net"))
        .values_list("channel", "net")
        .order_by()
    )
    rows = []
    for channel in dict.fromkeys([*CHANNEL_LABELS, *sums]):
        if channel not in sums and channel not in EVERYDAY_CHANNELS:
            continue
        rows.append(DaySales(channel=channel, label=channel_label(channel), net=sums.get(channel, ZERO)))
    return rows


def by_producer(filters: Filters, *, limit: int | None = 20, with_center: bool = False) -> list[Row]:
    """Producers ranked by net sales; the center's own sales (tea menu, room) last when `with_center`."""
    sums = _rows(filters, "producer_id", "producer")
    own = sums.pop(0, None)
    ranked = sorted(sums.items(), key=lambda item: -item[1]["net"])
    if limit:
        ranked = ranked[:limit]
    producers = Producer.objects.in_bulk([pk for pk, _sums in ranked])
    goals = targets(year=filters.year, scope=Target.Scope.CENTER, dimension="producer",
                    first_month=filters.first_month, last_month=filters.last_month)  # fmt: skip
    rows = []
    for pk, values in ranked:
        producer = producers.get(pk)
        label = localized(producer, "name") if producer else f"#{pk}"
        row = _fill(Row(key=str(pk), label=label), values)
        row.target = goals.get(str(pk))
        rows.append(row)
    rows = _ranked(rows)
    if with_center and own:
        rows.append(_fill(Row(key="0", label=str(CENTER_OWN)), own))
    return rows


def by_month(filters: Filters) -> list[Row]:
    """Month by month of the year, with the same months of last year and the monthly targets."""
    whole = Filters(filters.year, 1, 12, filters.channel, filters.category_id, filters.district_code,
                    filters.producer_id)  # fmt: skip

    def monthly(chosen: Filters) -> dict[int, dict]:
        return {
            row["month"].month: row
            for row in _rollup(chosen)
            .values("month")
            .annotate(net=Sum("net"), vat=Sum("vat"), quantity=Sum("quantity"), returns=Sum("returns"))
        }

    this_year, last_year = monthly(whole), monthly(whole.last_year())
    # The center's monthly targets are totals: they do not apply to one channel, district or producer.
    goals = Target.objects.filter(year=filters.year, scope=Target.Scope.CENTER, dimension="total", key="", month__gt=0)
    month_goals = {} if has_filters(filters) else {goal.month: goal.amount for goal in goals}
    rows = []
    for month in range(filters.first_month, filters.last_month + 1):
        label = month_label(month)
        row = _fill(Row(key=str(month), label=label), this_year.get(month))
        row.last_year = last_year.get(month, {}).get("net", ZERO)
        row.target = month_goals.get(month)
        rows.append(row)
    return rows


def sales_by(group: str, filters: Filters, *, limit: int | None = 20) -> list[Row]:
    if group == "district":
        return by_district(filters)
    if group == "category":
        return by_category(filters)
    if group == "channel":
        return by_channel(filters)
    if group == "producer":
        return by_producer(filters, limit=limit, with_center=limit is None)
    if group == "month":
        return by_month(filters)
    raise ValueError(group)


@dataclass
class ProductRow:
    product_id: int
    label: str
    quantity: int
    net: Decimal
    vat: Decimal

    @property
    def net_ex_vat(self) -> Decimal:
        return self.net - self.vat


def products_of(filters: Filters, *, producer_id: int) -> list[ProductRow]:
    """A producer's products in the filters' months (the drill-down's last step and the producer's own page)."""
    rows = ProductMonthSales.objects.filter(
        producer_id=producer_id, month__gte=filters.start.replace(day=1), month__lte=filters.end
    )
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    sums = list(
        rows.values("product_id").annotate(quantity=Sum("quantity"), net=Sum("net"), vat=Sum("vat")).order_by("-net")
    )
    products = Product.objects.in_bulk([row["product_id"] for row in sums])
    return [
        ProductRow(
            product_id=row["product_id"],
            label=localized(products[row["product_id"]], "name") if row["product_id"] in products else "-",
            quantity=row["quantity"],
            net=row["net"],
            vat=row["vat"],
        )
        for row in sums
    ]


def producer_month_by_channel(*, producer_id: int, month: date) -> list[Row]:
    """One producer's sales at the center this month, by channel (the portal's running figures)."""
    rows = (
        ProductMonthSales.objects.filter(producer_id=producer_id, month=month.replace(day=1))
        .values("channel")
        .annotate(net=Sum("net"), vat=Sum("vat"), quantity=Sum("quantity"))
        .order_by("-net")
    )
    return [
        Row(
            key=row["channel"],
            label=channel_label(row["channel"]),
            net=row["net"],
            vat=row["vat"],
            quantity=row["quantity"],
        )  # fmt: skip
        for row in rows
    ]


def district_options() -> list[District]:
    return list(District.objects.filter(province_id=center_profile().province_id).order_by("code"))


def has_filters(filters: Filters) -> bool:
    return bool(filters.channel or filters.category_id or filters.district_code or filters.producer_id)


def producer_month_total(*, producer_id: int, today: date | None = None) -> Decimal:
    """A producer's net sales at the center this month so far (the portal's front page)."""
    month = (today or timezone.localdate()).replace(day=1)
    total = ProductMonthSales.objects.filter(producer_id=producer_id, month=month).aggregate(total=Sum("net"))
    return total["total"] or ZERO
