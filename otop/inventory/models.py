"""One stock for every channel: levels per variant and location, and the append-only ledger."""

from __future__ import annotations

from django.conf import settings
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
