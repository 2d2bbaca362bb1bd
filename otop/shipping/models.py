"""Carriers, their services and rate bands as data; box sizes; one shipment per parcel order and its
tracking timeline."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.models import TimeStampedModel


class Carrier(models.Model):
    """A carrier the center can ship with; the manager turns it on and sets its COD fee and cut-off."""

    class Kind(models.TextChoices):
        THAILAND_POST = "thailandpost", _("Thailand Post (rate table, Track API)")
        FLASH = "flash", _("Flash Express (Open API)")
        TABLE = "table", _("Rate table (tracking number typed by staff)")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_enabled = models.BooleanField(_("offered at checkout"), default=False)
    offers_cod = models.BooleanField(_("cash on delivery"), default=False)
    cod_fee = models.DecimalField(_("COD fee (THB)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    cutoff_time = models.TimeField(
        _("cut-off time"), null=True, blank=True, help_text=_("Parcels booked after this time leave the next day.")
    )
    rates_source = models.CharField(_("source of the rates"), max_length=200, blank=True)
    rates_as_of = models.DateField(_("rates as of"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["sort_order", "code"]
        constraints = [models.CheckConstraint(condition=Q(cod_fee__gte=0), name="carrier_cod_fee_not_negative")]

    def __str__(self) -> str:
        return self.name_th


class Service(models.Model):
    """One product of a carrier (EMS, registered parcel, standard) with its expected days."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_enabled = models.BooleanField(_("offered"), default=True)
    days_min = models.PositiveSmallIntegerField(_("days (fastest)"), default=1)
    days_max = models.PositiveSmallIntegerField(_("days (slowest)"), default=3)
    max_grams = models.PositiveIntegerField(_("heaviest parcel (g)"), default=20000)

    class Meta:
        verbose_name = _("carrier service")
        verbose_name_plural = _("carrier services")
        ordering = ["carrier", "code"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "code"], name="one_service_code_per_carrier"),
            models.CheckConstraint(condition=Q(days_max__gte=models.F("days_min")), name="service_days_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier.name_th} {self.name_th}"

    @property
    def option(self) -> str:
        """The value a checkout sends: `<carrier>:<service>`."""
        return f"{self.carrier.code}:{self.code}"


class RateBand(models.Model):
    """The price of a parcel up to `up_to_grams` (the lightest band that holds the parcel applies)."""

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="bands")
    up_to_grams = models.PositiveIntegerField(_("up to (g)"))
    fee = models.DecimalField(_("fee (THB)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("rate band")
        verbose_name_plural = _("rate bands")
        ordering = ["service", "up_to_grams"]
        constraints = [
            models.UniqueConstraint(fields=["service", "up_to_grams"], name="one_band_per_weight"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="band_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.up_to_grams} g: {self.fee}"


class RemoteArea(models.Model):
    """A postcode where a carrier charges more (islands, mountain districts)."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="remote_areas"
    )
    postcode = models.CharField(_("postcode"), max_length=5)
    surcharge = models.DecimalField(_("surcharge (THB)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("remote area")
        verbose_name_plural = _("remote areas")
        ordering = ["carrier", "postcode"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "postcode"], name="one_surcharge_per_postcode"),
            models.CheckConstraint(condition=Q(surcharge__gte=0), name="surcharge_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.postcode}: +{self.surcharge}"


class BoxSize(models.Model):
    """A box the center packs in: inside size in centimetres and the weight the box itself adds."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    length_cm = models.PositiveIntegerField(_("length (cm)"))
    width_cm = models.PositiveIntegerField(_("width (cm)"))
    height_cm = models.PositiveIntegerField(_("height (cm)"))
    packaging_grams = models.PositiveIntegerField(_("packaging weight (g)"))
    max_content_grams = models.PositiveIntegerField(_("heaviest content (g)"), default=20000)

    class Meta:
        verbose_name = _("box size")
        verbose_name_plural = _("box sizes")
        ordering = ["length_cm", "width_cm", "height_cm"]

    def __str__(self) -> str:
        return f"{self.name} ({self.length_cm}×{self.width_cm}×{self.height_cm} cm)"

    @property
    def volume_cm3(self) -> int:
        return self.length_cm * self.width_cm * self.height_cm


class ShippingSettings(models.Model):
    """One row: the order value from which parcel delivery is free."""

    SINGLETON_ID = 1

    free_delivery_from = models.DecimalField(
        _("free delivery from (THB)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Orders of goods worth at least this much ship free. Empty: never free."),
    )
    sender_postcode = models.CharField(
        _("sender's postcode"), max_length=5, blank=True, help_text=_("Where parcels leave from (carriers' quotes).")
    )

    class Meta:
        verbose_name = _("shipping settings")
        verbose_name_plural = _("shipping settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="shipping_settings_is_singleton")]

    def __str__(self) -> str:
        return str(_("shipping settings"))


class Shipment(TimeStampedModel):
    """The parcel of one order: the service the customer chose, the fee charged, its tracking."""

    class Status(models.TextChoices):
        AWAITING_BOOKING = "awaiting_booking", _("Not booked yet")
        BOOKED = "booked", _("Booked")
        IN_TRANSIT = "in_transit", _("In transit")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Delivery failed")
        RETURNED = "returned", _("Returned to sender")
        CANCELLED = "cancelled", _("Booking cancelled")

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="shipment"
    )
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    fee = models.DecimalField(_("delivery fee (THB)"), max_digits=12, decimal_places=2)
    cod_amount = models.DecimalField(
        _("cash on delivery (THB)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    weight_grams = models.PositiveIntegerField(_("parcel weight (g)"))
    box = models.ForeignKey(
        BoxSize, verbose_name=_("box"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_BOOKING, db_index=True
    )
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True, db_index=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    needs_attention = models.BooleanField(_("needs staff attention"), default=False, db_index=True)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="shipment_fee_not_negative"),
            models.UniqueConstraint(
                fields=["service", "tracking_number"],
                condition=~Q(tracking_number=""),
                name="tracking_number_unique_per_service",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"#{self.pk}"


class TrackingEvent(models.Model):
    """One scan of a parcel as the carrier reports it, normalised; the same report twice is kept once."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    status = models.CharField(_("status"), max_length=20, choices=Shipment.Status.choices)
    carrier_code = models.CharField(_("carrier's code"), max_length=40)
    description = models.CharField(_("description"), max_length=300, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["shipment", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "at", "carrier_code"], name="tracking_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.status}"
