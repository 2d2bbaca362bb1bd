"""Registers, shifts, sales at the till, receipts and their gap-free numbers, the tea menu."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Register(models.Model):
    """A till: the shop counter or the mulberry-tea corner. Each has its own receipt series."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Shop counter")
        TEA = "tea", _("Tea corner")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SHOP)
    receipt_prefix = models.CharField(_("receipt prefix"), max_length=10)
    location_code = models.CharField(
        _("stock location"), max_length=20, help_text=_("Stock leaves this inventory location when a sale is made.")
    )
    discount_limit_percent = models.DecimalField(
        _("discount without approval (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    printer_host = models.CharField(_("receipt printer host"), max_length=100, blank=True)
    printer_port = models.PositiveIntegerField(_("receipt printer port"), default=9100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["code"]
        permissions = [("approve_till", _("Can approve discounts, voids and refunds with a PIN"))]

    def __str__(self) -> str:
        return self.name_th


class NumberSeries(models.TextChoices):
    RECEIPT = "receipt", _("Abbreviated tax invoice")


class ReceiptCounter(models.Model):
    """The next free number of one series of one register; locked with select_for_update to stay gap-free."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    series = models.CharField(max_length=16, choices=NumberSeries.choices)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "series"], name="one_counter_per_register_series")]

    def __str__(self) -> str:
        return f"{self.register_id}/{self.series}: {self.next_number}"


class NumberBlock(models.Model):
    """A range of receipt numbers [first, last] handed to one device so it can number sales offline."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="number_blocks")
    device_id = models.CharField(_("device"), max_length=64)
    first_number = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField()
    reserved_at = models.DateTimeField(auto_now_add=True)
    reserved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["register", "first_number"]
        constraints = [
            models.CheckConstraint(condition=Q(first_number__lte=models.F("last_number")), name="block_not_empty"),
            models.UniqueConstraint(fields=["register", "first_number"], name="block_starts_once"),
        ]

    def __str__(self) -> str:
        return f"{self.register_id}: {self.first_number}–{self.last_number}"


class Shift(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    register = models.ForeignKey(Register, verbose_name=_("register"), on_delete=models.PROTECT, related_name="shifts")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    starting_cash = models.DecimalField(_("starting cash"), **MONEY)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expected_cash = models.DecimalField(_("expected cash"), null=True, blank=True, **MONEY)
    counted_cash = models.DecimalField(_("counted cash"), null=True, blank=True, **MONEY)
    variance = models.DecimalField(_("variance"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["register"], condition=Q(status="open"), name="one_open_shift_per_register"
            ),
            models.CheckConstraint(condition=Q(starting_cash__gte=0), name="starting_cash_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.register.code} #{self.pk}"


class Sale(TimeStampedModel):
    """A sale rung up at a register. `device_sale_id` makes replays from the device harmless."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        VOIDED = "voided", _("Voided")
        REFUNDED = "refunded", _("Refunded")

    device_sale_id = models.UUIDField(_("device sale ID"), unique=True)
    register = models.ForeignKey(Register, verbose_name=_("register"), on_delete=models.PROTECT, related_name="sales")
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="sales")
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receipt_number = models.PositiveIntegerField(_("receipt number"))
    sold_at = models.DateTimeField(_("sold at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    bill_discount = models.DecimalField(_("bill discount"), default=Decimal("0.00"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    vat = models.DecimalField(_("VAT included"), **MONEY)
    change_due = models.DecimalField(_("change"), default=Decimal("0.00"), **MONEY)
    recorded_offline = models.BooleanField(_("rung up offline"), default=False)
    has_shortfall = models.BooleanField(_("stock shortfall"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    needs_review = models.BooleanField(_("needs a manager's review"), default=False)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    # Money in for it, kept by the payments app (which knows nothing of sales).
    payments = GenericRelation("payments.Payment", related_query_name="sale")

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-sold_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "receipt_number"], name="receipt_number_once_per_register"),
            models.CheckConstraint(condition=Q(total__gte=0), name="sale_total_not_negative"),
        ]
        indexes = [models.Index(fields=["shift", "status"])]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def receipt_code(self) -> str:
        return f"{self.register.receipt_prefix}-{self.receipt_number:06d}"


class SaleLine(models.Model):
    """One line as sold: the names, prices and VAT it used are stored, never recomputed."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    variant = models.ForeignKey("catalog.Variant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    menu_item = models.ForeignKey("pos.MenuItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("item"), max_length=300)
    modifiers = models.JSONField(_("options"), default=list, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount = models.DecimalField(_("discount"), default=Decimal("0.00"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    category_name = models.CharField(max_length=100, blank=True)
    producer_id = models.IntegerField(null=True, blank=True)
    producer_name = models.CharField(max_length=200, blank=True)
    # What the sales reports group by, as sold (None / "" for the tea menu), and the line's share of the sale's
    # VAT (the sale's VAT split over the lines' values less their bill-discount shares, `split_price`): the
    # reports add a day of lines with one scan of their ids, no joins to the catalogue.
    product_id = models.IntegerField(null=True, blank=True)
    category_id = models.IntegerField(null=True, blank=True)
    district_code = models.CharField(max_length=4, blank=True)
    vat = models.DecimalField(_("VAT included"), default=Decimal("0.00"), **MONEY)
    shortfall_quantity = models.PositiveIntegerField(_("short in stock"), default=0)

    class Meta:
        ordering = ["sale", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(variant__isnull=False) | Q(menu_item__isnull=False), name="sale_line_sells_something"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SaleVoid(models.Model):
    """Why and by whose approval a sale was voided or refunded (its stock went back through the ledger)."""

    sale = models.OneToOneField(Sale, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField(_("reason"), max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField()
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="voids")

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.reason}"


class SaleReturn(models.Model):
    """Units of some lines of a completed sale taken back and paid back in cash from the drawer, with a
    manager's PIN (a partial refund): its credit note against the sale's tax invoice says for how much."""

    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(_("reason"), max_length=300)
    amount = models.DecimalField(_("amount paid back"), **MONEY)
    credit_note = models.ForeignKey("tax.TaxDocument", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField()

    class Meta:
        verbose_name = _("partial refund")
        verbose_name_plural = _("partial refunds")
        ordering = ["done_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="sale_return_amount_positive")]

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.amount}"


class SaleReturnLine(models.Model):
    """The units of one sale line a partial refund took back, and what was paid back for them."""

    sale_return = models.ForeignKey(SaleReturn, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["sale_return", "sale_line__position"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_return_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.sale_line_id} × {self.quantity}"


class ManagerPin(models.Model):
    """A manager's approval PIN, stored only as a password hash."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="till_pin")
    pin_hash = models.CharField(max_length=128)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.user_id)


class MenuItem(models.Model):
    """A drink or snack of the tea corner: not consignment stock; optionally uses a stock item (recipe)."""

    class Kind(models.TextChoices):
        DRINK = "drink", _("Drink")
        SNACK = "snack", _("Snack")

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="menu")
    code = models.SlugField(max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DRINK)
    price = models.DecimalField(_("price incl. VAT"), **MONEY)
    has_temperature = models.BooleanField(_("hot or iced"), default=False)
    has_sweetness = models.BooleanField(_("sweetness"), default=False)
    recipe_variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipe_quantity = models.PositiveIntegerField(_("stock units per cup"), default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["register", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["register", "code"], name="menu_code_once_per_register")]

    def __str__(self) -> str:
        return self.name_th


class MenuOption(models.Model):
    """A priced choice for tea-corner items: a size or an extra."""

    class Group(models.TextChoices):
        SIZE = "size", _("Size")
        EXTRA = "extra", _("Extra")

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="menu_options")
    code = models.SlugField(max_length=30)
    group = models.CharField(max_length=8, choices=Group.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    price = models.DecimalField(_("extra price"), default=Decimal("0.00"), **MONEY)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["register", "group", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["register", "code"], name="option_code_once_per_register")]

    def __str__(self) -> str:
        return self.name_th


class PriceList(models.Model):
    """A version of the prices the registers were given (/pos/catalog.json): an offline sale may use the
    prices of the version its device held, for a bounded time after that version was last served."""

    version = models.CharField(max_length=64, unique=True)
    prices = models.JSONField(
        default=dict
    )  # "v<variant id>" / "m<menu item id>" / "o<register>:<option code>" → "65.00"
    first_served_at = models.DateTimeField()
    last_served_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.version
