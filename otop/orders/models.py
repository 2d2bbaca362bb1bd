from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.models import TimeStampedModel


class ShopSettings(models.Model):
    """The web shop's figures that staff may change: one row (a flat parcel rate, the minutes to pay)."""

    SINGLETON_ID = 1

    parcel_rate = models.DecimalField(
        _("parcel delivery rate (THB)"), max_digits=12, decimal_places=2, default=Decimal("60.00")
    )
    payment_minutes = models.PositiveIntegerField(
        _("minutes to pay"), default=30, help_text=_("How long an unpaid order holds its stock.")
    )

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="shop_settings_is_singleton"),
            models.CheckConstraint(condition=Q(parcel_rate__gte=0), name="parcel_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return str(_("shop settings"))


class OrderNumberCounter(models.Model):
    """The last order number used in a Buddhist-era year; locked while a number is taken (gap-free)."""

    year = models.PositiveIntegerField(_("year (B.E.)"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        # Contexts keep these words apart from the same English words in other apps' catalogues.
        PAID = "paid", pgettext_lazy("order status", "Paid")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
        COMPLETED = "completed", pgettext_lazy("order status", "Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    class Delivery(models.TextChoices):
        PICKUP = "pickup", _("Pickup at the center")
        PARCEL = "parcel", _("Parcel delivery")

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        LINE = "line", _("LINE")
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"

    class Payment(models.TextChoices):
        """How the customer pays: PromptPay before the goods leave, or the carrier collects on delivery."""

        PROMPTPAY = "promptpay", _("PromptPay now")
        CASH_ON_DELIVERY = "cod", _("Cash on delivery")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    customer_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=10, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="th")
    delivery_method = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    address_line1 = models.CharField(_("address"), max_length=300, blank=True)
    address_line2 = models.CharField(_("address (more)"), max_length=300, blank=True)
    subdistrict = models.ForeignKey(
        "geo.Subdistrict",
        verbose_name=_("subdistrict"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "geo.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    subtotal = models.DecimalField(_("goods"), max_digits=12, decimal_places=2)
    # A coupon's discount (the sum of the lines' discounts); the total is the goods less this, plus delivery.
    discount = models.DecimalField(_("discount"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    delivery_fee = models.DecimalField(_("delivery"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # เก็บเงินปลายทาง: the carrier collects the total at the door; the order is paid when its remittance arrives.
    cash_on_delivery = models.BooleanField(_("cash on delivery"), default=False)

    # Money in for it, kept by the payments app (which knows nothing of orders).
    payments = GenericRelation("payments.Payment", related_query_name="order")

    class Meta:
        verbose_name = pgettext_lazy("sales order", "order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]
        permissions = [("confirm_payment", _("Can confirm that an order's payment arrived"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") - models.F("discount") + models.F("delivery_fee")),
                name="order_total_adds_up_with_discount",
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0, discount__lte=models.F("subtotal")), name="order_discount_within_goods"
            ),
            models.CheckConstraint(
                condition=Q(delivery_method="pickup") | Q(subdistrict__isnull=False, postcode__regex=r"^[0-9]{5}$"),
                name="parcel_order_has_an_address",
            ),
            models.CheckConstraint(
                condition=Q(cash_on_delivery=False) | Q(delivery_method="parcel"),
                name="cash_on_delivery_only_for_parcels",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def reservation_reference(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(_("SKU"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total"), max_digits=12, decimal_places=2)
    # This line's share of the order's coupon discount, to the satang (the shares add up to the order's).
    discount = models.DecimalField(_("discount"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # Units refunded by partial refunds (each with its credit note); a later full refund takes back the rest.
    refunded_quantity = models.PositiveIntegerField(_("units refunded"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=models.F("quantity")), name="order_line_refunds_within_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


class OrderEvent(models.Model):
    """One change of an order's status: who, when, from what to what."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Order.Status.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CartLine(models.Model):
    """A signed-in customer's cart, kept in the account (visitors keep theirs in the session)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "variant"], name="one_cart_line_per_variant")]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"


class Coupon(TimeStampedModel):
    """A discount code: a percentage or baht off the goods it applies to, within dates, up to a number of uses."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Baht off")

    class BorneBy(models.TextChoices):
        CENTER = "center", _("The center")
        PRODUCER = "producer", _("The producer")

    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("Stored in capitals."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    min_spend = models.DecimalField(_("minimum spend (THB)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    starts_at = models.DateTimeField(_("valid from"))
    ends_at = models.DateTimeField(_("valid until"), help_text=_("The first moment it no longer works."))
    max_uses = models.PositiveIntegerField(_("uses in all"), null=True, blank=True)
    max_uses_per_phone = models.PositiveIntegerField(_("uses per phone number"), null=True, blank=True)
    categories = models.ManyToManyField("catalog.Category", verbose_name=_("categories"), blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", verbose_name=_("products"), blank=True, related_name="+")
    borne_by = models.CharField(_("discount borne by"), max_length=10, choices=BorneBy.choices, default=BorneBy.CENTER)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(condition=~Q(kind="percent") | Q(value__lte=100), name="coupon_percent_at_most_100"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="coupon_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.code


class CouponUse(models.Model):
    """One order that used a coupon (counted against its limits while the order is not cancelled)."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="uses")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="coupon_use")
    phone = models.CharField(_("phone"), max_length=10, db_index=True)
    amount = models.DecimalField(_("discount"), max_digits=12, decimal_places=2)
    used_at = models.DateTimeField(_("used at"))

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")

    def __str__(self) -> str:
        return f"{self.coupon_id} {self.order_id}"
