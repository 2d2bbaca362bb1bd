"""Carriers, their services and rate bands as data; box sizes; one shipment per parcel order and its
tracking timeline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.models import TimeStampedModel
from otop.core.thaidates import format_date


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
    pickup_weekdays = models.CharField(
        _("pickup days"),
        max_length=7,
        default="012345",
        validators=[RegexValidator(r"^[0-6]{1,7}$", _("Write the days as digits, 0 = Monday … 6 = Sunday."))],
        help_text=_(
            "The days the carrier takes parcels, as digits: 0 = Monday … 6 = Sunday (012345: Monday to Saturday)."
        ),
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


class PickupHoliday(models.Model):
    """A day carriers take no parcels (a public holiday): a parcel due to leave then leaves on the next
    pickup day. Without a carrier it holds for every carrier."""

    day = models.DateField(pgettext_lazy("pickup holiday", "day"))
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("carrier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="holidays",
        help_text=_("Leave empty when no carrier takes parcels that day."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pickup holiday")
        verbose_name_plural = _("pickup holidays")
        ordering = ["day", "carrier"]
        constraints = [
            models.UniqueConstraint(fields=["day", "carrier"], name="one_pickup_holiday_per_carrier_and_day"),
            models.UniqueConstraint(
                fields=["day"], condition=Q(carrier__isnull=True), name="one_pickup_holiday_for_all_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{format_date(self.day)} {self.name_th}"


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
    cod_fee = models.DecimalField(_("COD fee (THB)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
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
    ships_on = models.DateField(
        _("leaves on"), null=True, blank=True, help_text=_("Booked after the carrier's cut-off: the next pickup day.")
    )
    return_received_at = models.DateTimeField(_("return received at"), null=True, blank=True)
    return_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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


class CarrierPush(models.Model):
    """One status push a carrier sent to our webhook, kept once under its key (the parcel, the state it
    claims and the time of that state) and checked with the carrier by the worker; its body is never
    trusted for the parcel's state."""

    carrier_kind = models.CharField(_("carrier"), max_length=20, choices=Carrier.Kind.choices)
    key = models.CharField(_("key"), max_length=120)
    tracking_number = models.CharField(_("tracking number"), max_length=40, db_index=True)
    payload = models.JSONField(_("what the carrier sent"))
    received_at = models.DateTimeField(_("received at"), db_index=True)
    checked_at = models.DateTimeField(_("checked with the carrier at"), null=True, blank=True)
    new_events = models.PositiveIntegerField(_("new scans"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("carrier status push")
        verbose_name_plural = _("carrier status pushes")
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["carrier_kind", "key"], name="carrier_push_once")]

    def __str__(self) -> str:
        return f"{self.carrier_kind} {self.key}"


class PickupRequest(models.Model):
    """A courier asked to come for the day's parcels through the carrier's API (Flash's `notify`)."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("pickup day"))
    parcels = models.PositiveIntegerField(_("parcels"))
    ticket = models.CharField(_("carrier's pickup number"), max_length=60)
    courier_name = models.CharField(_("courier"), max_length=100, blank=True)
    courier_phone = models.CharField(_("courier's phone"), max_length=20, blank=True)
    message = models.CharField(_("carrier's message"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pickup request")
        verbose_name_plural = _("pickup requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.day} {self.ticket}"


class CodRemittance(models.Model):
    """One remittance file a carrier sent for the cash it collected on delivery, imported once."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(_("file's SHA-256"), max_length=64, unique=True)
    total = models.DecimalField(_("total remitted (THB)"), max_digits=14, decimal_places=2)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("COD remittance")
        verbose_name_plural = _("COD remittances")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class CodRemittanceLine(models.Model):
    """One parcel of a remittance: matched (its order paid) or held for staff with the reason."""

    class Outcome(models.TextChoices):
        PAID = "paid", _("Matched: order paid")
        HELD = "held", _("Held for staff")
        RESOLVED = "resolved", _("Resolved by staff")

    remittance = models.ForeignKey(CodRemittance, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(_("row"))
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    amount = models.DecimalField(_("amount (THB)"), max_digits=12, decimal_places=2)
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    resolved_note = models.CharField(_("staff's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("COD remittance line")
        verbose_name_plural = _("COD remittance lines")
        ordering = ["remittance", "row"]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.amount}"
