"""One stock for every channel: levels per variant and location, and the append-only ledger."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    class Code(models.TextChoices):
        SHOP = "shop", _("Shop floor")
        BACKSTORE = "backstore", _("Back store")
        ONLINE = "online", _("Online-order shelf")
        TEA = "tea", _("Tea corner store")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sells_online = models.BooleanField(
        _("sells online"), default=False, help_text=_("Web and LINE orders may reserve stock kept here.")
    )
    reserve_priority = models.PositiveSmallIntegerField(
        _("reservation order"), default=0, help_text=_("Online orders take stock from lower numbers first.")
    )

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["reserve_priority", "code"]

    def __str__(self) -> str:
        return self.name_th


class StockLevel(models.Model):
    """How many units of a variant are at a location, and how many of them are held for orders.

    The fast answer; the ledger (StockMove) is the truth, and `check_stock_ledger` proves they agree.
    """

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="stock_levels")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["variant", "location"], name="one_stock_level_per_variant_location"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="reserved_within_on_hand"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.location_id}: {self.on_hand} ({self.reserved} reserved)"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMove(models.Model):
    """One change of stock: append-only. Into a location, out of one, or from one to another."""

    class Reason(models.TextChoices):
        CONSIGNMENT_INTAKE = "consignment_intake", _("Consignment intake")
        PURCHASE = "purchase", _("Purchase")
        SALE = "sale", _("Sale")
        RETURN_TO_SHELF = "return_to_shelf", _("Return to shelf")
        RETURN_TO_PRODUCER = "return_to_producer", _("Return to producer")
        TRANSFER = "transfer", _("Transfer")
        ADJUSTMENT = "adjustment", _("Adjustment")
        STOCKTAKE = "stocktake", _("Stocktake correction")
        DAMAGE = "damage", _("Damage")
        BASKET_ASSEMBLY = "basket_assembly", _("Basket assembly")

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="stock_moves")
    from_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="moves_out"
    )
    to_location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT, related_name="moves_in")
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    reference = models.CharField(_("document"), max_length=80, blank=True, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        permissions = [("transfer_stock", "Can move stock between locations and correct it")]
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="move_quantity_positive"),
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False), name="move_has_a_location"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.quantity} × {self.variant_id}"


class Reservation(models.Model):
    """Stock held for an order until it is paid (committed) or cancelled/expired (released)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Held")
        COMMITTED = "committed", _("Sold")
        RELEASED = "released", _("Released")

    reference = models.CharField(_("document"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    release_reason = models.CharField(_("release reason"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"


class ReservationLine(models.Model):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}@{self.location_id}"


class StockShortfall(models.Model):
    """A sale recorded without the stock to cover it (an offline till sale): for the manager to resolve."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity missing"))
    reference = models.CharField(_("document"), max_length=80)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("stock shortfall")
        verbose_name_plural = _("stock shortfalls")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} × {self.variant_id} missing"


# --- Consignment intake -------------------------------------------------------------------------


class CommissionRate(models.Model):
    """The center's commission on one product, when it differs from its producer's or the center's default."""

    product = models.OneToOneField(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="commission_rate"
    )
    percent = models.DecimalField(
        _("commission (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="commission_rate_0_to_100")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.percent}%"


class Intake(models.Model):
    """A delivery of goods from a producer: on consignment (รับฝากขาย) or bought outright."""

    class Kind(models.TextChoices):
        CONSIGNMENT = "consignment", _("Consignment")
        PURCHASE = "purchase", _("Outright purchase")

    number = models.CharField(_("number"), max_length=20, unique=True)
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="intakes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONSIGNMENT)
    location = models.ForeignKey(Location, verbose_name=_("received into"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-received_at", "-id"]
        permissions = [("receive_stock", "Can receive deliveries from producers")]

    def __str__(self) -> str:
        return self.number

    @property
    def reference(self) -> str:
        return f"intake:{self.number}"


class IntakeLine(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    producer_price = models.DecimalField(
        _("producer's price (THB)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    commission_percent = models.DecimalField(_("commission (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    cost_price = models.DecimalField(_("cost price (THB)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("intake line")
        verbose_name_plural = _("intake lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="intake_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


# --- Sales with their prices (for settlements) ----------------------------------------------------


class SoldItem(models.Model):
    """What a sale (or a return) was worth: the ledger counts units, this keeps the prices used.

    Written by the storefront and the till through services.record_sale_lines / record_return_lines;
    one document (reference) is recorded once.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        LINE = "line", _("LINE")
        COUNTER = "counter", _("Counter")
        TEA = "tea", _("Tea corner")

    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.SALE)
    line_no = models.PositiveSmallIntegerField(_("line"))
    variant = models.ForeignKey("catalog.Variant", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (THB)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount (THB)"), max_digits=12, decimal_places=2)
    commission_percent = models.DecimalField(_("commission (%)"), max_digits=5, decimal_places=2)
    producer_unit_price = models.DecimalField(
        _("producer's price (THB)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("When the producer set a price, it is paid instead of the sale minus commission."),
    )
    consigned = models.BooleanField(_("on consignment"), default=True)
    # The part of a coupon's discount the producer bears on this line (the amount above is before it).
    producer_discount = models.DecimalField(
        _("coupon discount borne by the producer"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    sold_at = models.DateTimeField(_("sold at"), db_index=True)
    reference = models.CharField(_("document"), max_length=80, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    settlement = models.ForeignKey(
        "Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="sold_items"
    )

    class Meta:
        verbose_name = _("sold item")
        verbose_name_plural = _("sold items")
        ordering = ["sold_at", "id"]
        indexes = [models.Index(fields=["producer", "settlement", "sold_at"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference", "line_no"], name="one_sold_item_per_document_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sold_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sold_item_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} × {self.variant_id} @ {self.unit_price}"


# --- Settlements -------------------------------------------------------------------------------


class Settlement(models.Model):
    """What the center owes a producer for a period: consigned sales minus returns and commission."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be paid")
        PAID = "paid", _("Paid")

    number = models.CharField(_("number"), max_length=20, unique=True)
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="settlements"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until (not included)"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    units_sold = models.IntegerField(_("units sold"), default=0)
    units_returned = models.IntegerField(_("units returned"), default=0)
    gross_sales = models.DecimalField(_("gross sales"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    returns = models.DecimalField(_("returns"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    commission = models.DecimalField(_("commission"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    net_payable = models.DecimalField(_("net payable"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_reference = models.CharField(_("transfer reference"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_start", "producer__name_th"]
        permissions = [("settle_producers", "Can make and pay producer settlements")]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "period_start", "period_end"], name="one_settlement_per_producer_period"
            ),
            models.CheckConstraint(condition=Q(period_start__lt=F("period_end")), name="settlement_period_not_empty"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def producer_discounts(self) -> Decimal:
        """Coupon discounts the producer bore in this statement (sum of its lines)."""
        return sum((line.producer_discounts for line in self.lines.all()), Decimal("0.00"))

    @property
    def period_last_day(self):
        from datetime import timedelta

        return self.period_end - timedelta(days=1)


class SettlementLine(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("item"), max_length=300)
    commission_percent = models.DecimalField(_("commission (%)"), max_digits=5, decimal_places=2)
    producer_unit_price = models.DecimalField(
        _("producer's price (THB)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    units_sold = models.IntegerField(_("units sold"))
    units_returned = models.IntegerField(_("units returned"))
    gross_sales = models.DecimalField(_("gross sales"), max_digits=12, decimal_places=2)
    returns = models.DecimalField(_("returns"), max_digits=12, decimal_places=2)
    # Coupon discounts the producer bears (sales less returns), taken off before the commission.
    producer_discounts = models.DecimalField(
        _("coupon discounts borne by the producer"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    commission = models.DecimalField(_("commission"), max_digits=12, decimal_places=2)
    net_payable = models.DecimalField(_("net payable"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.settlement_id}: {self.sku}"


# --- Stocktake -----------------------------------------------------------------------------------


class Stocktake(models.Model):
    """A count sheet for one location: counted by scanning, approved by a manager."""

    class Status(models.TextChoices):
        COUNTING = "counting", _("Counting")
        APPROVED = "approved", _("Approved")
        CANCELLED = "cancelled", _("Cancelled")

    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COUNTING)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-started_at", "-id"]
        permissions = [
            ("count_stock", "Can count stock"),
            ("approve_stocktake", "Can approve stocktake corrections"),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.started_at:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        return f"stocktake:{self.pk}"


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    expected = models.IntegerField(_("expected"), default=0)
    counted = models.PositiveIntegerField(_("counted"), default=0)

    class Meta:
        ordering = ["variant__sku"]
        constraints = [models.UniqueConstraint(fields=["stocktake", "variant"], name="one_count_per_item")]

    def __str__(self) -> str:
        return f"{self.variant_id}: {self.counted}/{self.expected}"

    @property
    def variance(self) -> int:
        return self.counted - self.expected


# --- Low stock -----------------------------------------------------------------------------------


class LowStockThreshold(models.Model):
    """Tell staff and the producer when an item's stock (all locations) falls to `minimum` or below."""

    variant = models.OneToOneField(
        "catalog.Variant", verbose_name=_("item"), on_delete=models.CASCADE, related_name="low_stock_threshold"
    )
    minimum = models.PositiveIntegerField(_("low at or below"))
    alerted_at = models.DateTimeField(
        _("alert sent at"), null=True, blank=True, help_text=_("Set while the item is low; cleared when restocked.")
    )

    class Meta:
        verbose_name = _("low-stock threshold")
        verbose_name_plural = _("low-stock thresholds")

    def __str__(self) -> str:
        return f"{self.variant_id} ≤ {self.minimum}"
