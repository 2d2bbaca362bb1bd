"""Targets, the daily sales rollup (the one fact source every report reads) and sales reported from outside.

The rollup tables hold sums only: `rollup.py` adds each committed sale or return of every channel once
(`RolledDocument` remembers which), and `rebuild_sales_rollup` can always rebuild them from the raw lines.
Dimension columns are plain values (0 or "" for none), not foreign keys, so that the unique keys hold on
both databases (NULLs are never equal in a unique constraint) and a rebuild never waits on other tables.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A province's yearly OTOP sales (฿11,000 million) do not fit DecimalField(12, 2): sums and targets get 16 digits.
BIG_MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class Target(models.Model):
    """A sales target for a Buddhist-era year (month 0) or one of its months, for the center or the province,
    as a total or for one district, category, channel or producer."""

    class Scope(models.TextChoices):
        CENTER = "center", _("The center")
        PROVINCE = "province", _("The province")

    class Dimension(models.TextChoices):
        TOTAL = "total", _("Total")
        DISTRICT = "district", _("District")
        CATEGORY = "category", _("Category")
        CHANNEL = "channel", _("Channel")
        PRODUCER = "producer", _("Producer")

    year = models.PositiveIntegerField(
        _("year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)], db_index=True
    )
    month = models.PositiveSmallIntegerField(
        _("month"), default=0, validators=[MaxValueValidator(12)], help_text=_("0 for the whole year.")
    )
    scope = models.CharField(_("for"), max_length=10, choices=Scope.choices, default=Scope.CENTER)
    dimension = models.CharField(
        pgettext_lazy("target", "by"), max_length=10, choices=Dimension.choices, default=Dimension.TOTAL
    )
    key = models.CharField(
        _("which"),
        max_length=40,
        blank=True,
        help_text=_("District code, category code, channel or producer number; empty for the total."),
    )
    amount = models.DecimalField(_("target (THB)"), **BIG_MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        ordering = ["-year", "scope", "dimension", "key", "month"]
        permissions = [
            ("view_sales_reports", _("Can see sales figures and targets")),
            ("edit_targets", _("Can set sales targets")),
            ("enter_outside_sales", _("Can enter producers' sales outside the center")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "scope", "dimension", "key"], name="one_target_per_cell"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="target_not_negative"),
            models.CheckConstraint(condition=Q(month__lte=12), name="target_month_in_year"),
            models.CheckConstraint(
                condition=Q(dimension="total", key="") | (~Q(dimension="total") & ~Q(key="")),
                name="target_key_matches_dimension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.month} {self.scope} {self.dimension} {self.key}: {self.amount}"


class DailySales(models.Model):
    """Net sales of one business day (Bangkok) × channel × category × district × producer.

    Returns are negative; `returns` keeps what was given back (positive) so it can be shown apart.
    Amounts are VAT-inclusive (`net`) with the VAT in them (`vat`); gross = before discounts.
    """

    day = models.DateField()
    channel = models.CharField(max_length=12)
    category_id = models.IntegerField(default=0)  # 0: not a catalogue product (tea menu, room)
    district_code = models.CharField(max_length=4, blank=True)
    producer_id = models.IntegerField(default=0)  # 0: the center's own (tea menu, room)
    quantity = models.IntegerField(default=0)
    gross = models.DecimalField(default=ZERO, **BIG_MONEY)
    discount = models.DecimalField(default=ZERO, **BIG_MONEY)
    net = models.DecimalField(default=ZERO, **BIG_MONEY)
    vat = models.DecimalField(default=ZERO, **BIG_MONEY)
    returns = models.DecimalField(default=ZERO, **BIG_MONEY)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "category_id", "district_code", "producer_id"], name="one_rollup_row_per_cell"
            )
        ]
        indexes = [
            models.Index(fields=["district_code", "day"], name="rollup_district_day"),
            models.Index(fields=["producer_id", "day"], name="rollup_producer_day"),
        ]

    ROW_FIELDS = ("day", "channel", "category_id", "district_code", "producer_id", "quantity", "gross", "discount",
                  "net", "vat", "returns", "documents")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.producer_id}: {self.net}"


class MonthlySales(models.Model):
    """DailySales summed by month: what the dashboard and the API read (their periods are whole months)."""

    month = models.DateField()  # the first day of the month
    channel = models.CharField(max_length=12)
    category_id = models.IntegerField(default=0)
    district_code = models.CharField(max_length=4, blank=True)
    producer_id = models.IntegerField(default=0)
    quantity = models.IntegerField(default=0)
    gross = models.DecimalField(default=ZERO, **BIG_MONEY)
    discount = models.DecimalField(default=ZERO, **BIG_MONEY)
    net = models.DecimalField(default=ZERO, **BIG_MONEY)
    vat = models.DecimalField(default=ZERO, **BIG_MONEY)
    returns = models.DecimalField(default=ZERO, **BIG_MONEY)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "channel", "category_id", "district_code", "producer_id"],
                name="one_monthly_row_per_cell",
            )
        ]
        indexes = [models.Index(fields=["producer_id", "month"], name="monthly_producer_month")]

    ROW_FIELDS = ("month", "channel", "category_id", "district_code", "producer_id", "quantity", "gross", "discount",
                  "net", "vat", "returns", "documents")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.producer_id}: {self.net}"


class ProductMonthSales(models.Model):
    """Net sales of one product in one month and channel: the drill-down to products and the producers' portal."""

    month = models.DateField()  # the first day of the month
    channel = models.CharField(max_length=12)
    product_id = models.IntegerField(default=0)
    producer_id = models.IntegerField(default=0)
    district_code = models.CharField(max_length=4, blank=True)
    category_id = models.IntegerField(default=0)
    quantity = models.IntegerField(default=0)
    net = models.DecimalField(default=ZERO, **BIG_MONEY)
    vat = models.DecimalField(default=ZERO, **BIG_MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "channel", "product_id"], name="one_product_month_row_per_cell")
        ]
        indexes = [
            models.Index(fields=["producer_id", "month"], name="product_month_producer"),
            models.Index(fields=["district_code", "month"], name="product_month_district"),
        ]

    ROW_FIELDS = ("month", "channel", "product_id", "producer_id", "district_code", "category_id", "quantity", "net",
                  "vat")  # fmt: skip

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.product_id}: {self.net}"


class RolledDocument(models.Model):
    """A sale or return already added to the rollup: it is added once, whoever adds it."""

    source = models.CharField(max_length=16)
    key = models.CharField(max_length=40)
    day = models.DateField(db_index=True)
    rolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="document_rolled_once")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"


class RolledRange(models.Model):
    """Till documents added to the rollup by the database's own sums, remembered as a run of consecutive row ids
    (every id from `first_id` to `last_id` is a document of that source and day, seen and added): a day of a
    till's sales is a few rows here instead of thousands. Together with `RolledDocument`, what is already added."""

    source = models.CharField(max_length=16)
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    day = models.DateField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["source", "last_id"], name="rolled_range_last")]
        constraints = [
            models.CheckConstraint(condition=Q(last_id__gte=models.F("first_id")), name="rolled_range_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.first_id}-{self.last_id}"


# The RollupCursor row that is no source: when (µs) the figures last changed — the rollup, a target or an
# outside figure (`rollup.figures_changed`). Reports cache what they computed under it (`selectors.cached`).
FIGURES_VERSION = "figures"


class RollupCursor(models.Model):
    """Per source, the highest row id added so far; each run also looks back some ids for late commits."""

    source = models.CharField(max_length=16, primary_key=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} after {self.last_id}"


class OutsideSales(models.Model):
    """A producer's own sales outside the center for one month and channel, as they (or an officer) report them.

    Never mixed with the center's measured sales: reports show them in their own column and count them
    only toward the province's figures.
    """

    class Channel(models.TextChoices):
        OWN_SHOP = "own_shop", _("Own shop or home")
        FAIR = "fair", _("Fairs and markets")
        ONLINE = "online", _("Own online sales")
        WHOLESALE = "wholesale", _("Wholesale and shops")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        OFFICER = "officer", _("District officer")
        IMPORT = "import", _("CSV import")

    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    amount = models.DecimalField(_("sales (THB, incl. VAT)"), max_digits=12, decimal_places=2)
    district_code = models.CharField(max_length=4, blank=True)
    source = models.CharField(_("entered by"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sales outside the center")
        verbose_name_plural = _("sales outside the center")
        ordering = ["-month", "producer_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["producer", "month", "channel"], name="one_outside_figure_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="outside_sales_not_negative"),
        ]
        indexes = [models.Index(fields=["month", "district_code"], name="outside_month_district")]

    def __str__(self) -> str:
        return f"{self.producer_id} {self.month:%Y-%m} {self.channel}: {self.amount}"
