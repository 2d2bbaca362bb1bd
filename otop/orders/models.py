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
    delivery_fee = models.DecimalField(_("delivery"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    # Money in for it, kept by the payments app (which knows nothing of orders).
    payments = GenericRelation("payments.Payment", related_query_name="order")

    class Meta:
        verbose_name = pgettext_lazy("sales order", "order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]
        permissions = [("confirm_payment", _("Can confirm that an order's payment arrived"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("delivery_fee")), name="order_total_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(delivery_method="pickup") | Q(subdistrict__isnull=False, postcode__regex=r"^[0-9]{5}$"),
                name="parcel_order_has_an_address",
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

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive")]

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
