"""Rooms and desks that people book by the hour, their bookings, payments and WiFi passwords."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.collation import ThaiSortKey
from otop.core.models import TimeStampedModel
from otop.core.uploads import RandomName, validate_image_file


class Equipment(models.Model):
    """Something a space offers: Smart TV, WiFi, whiteboard, projector…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = [ThaiSortKey("name_th"), "name_th"]

    def __str__(self) -> str:
        return self.name_th


class Space(TimeStampedModel):
    """A meeting room or a desk that can be booked within the center's opening hours."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Meeting room")
        DESK = "desk", _("Desk")

    class WifiRotation(models.TextChoices):
        PER_DAY = "day", _("A new password every day")
        PER_BOOKING = "booking", _("A new password for every booking")

    slug = models.SlugField(_("short name in links"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROOM)
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), default=1, validators=[MinValueValidator(1)])
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment"), blank=True, related_name="spaces")
    price_per_hour = models.DecimalField(
        _("price per hour"), max_digits=12, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    member_price_per_hour = models.DecimalField(
        _("price per hour for OTOP producers and staff"), max_digits=12, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    slot_minutes = models.PositiveIntegerField(
        _("slot grid (minutes)"), default=30, validators=[MinValueValidator(5)],
        help_text=_("Bookings start and end on this grid, e.g. 30 gives 10:00, 10:30, 11:00."),
    )  # fmt: skip
    minimum_minutes = models.PositiveIntegerField(_("shortest booking (minutes)"), default=60)
    maximum_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=480)
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking (minutes)"), default=0,
        help_text=_("Time kept free after a booking for cleaning and set-up."),
    )  # fmt: skip
    change_deadline_hours = models.PositiveIntegerField(
        _("customers may cancel or move until (hours before the start)"), default=24
    )
    wifi_network_name = models.CharField(_("WiFi network name"), max_length=64, blank=True)
    wifi_rotation = models.CharField(
        _("WiFi password"), max_length=10, choices=WifiRotation.choices, default=WifiRotation.PER_DAY
    )
    is_active = models.BooleanField(_("open for booking"), default=True)
    position = models.PositiveIntegerField(_("position in lists"), default=0)

    class Meta:
        verbose_name = _("bookable space")
        verbose_name_plural = _("bookable spaces")
        ordering = ["position", ThaiSortKey("name_th"), "name_th"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_minutes__gt=0) & Q(minimum_minutes__lte=F("maximum_minutes")),
                name="space_minimum_not_above_maximum",
            ),
            models.CheckConstraint(condition=Q(price_per_hour__gte=0), name="space_price_not_negative"),
            models.CheckConstraint(condition=Q(member_price_per_hour__gte=0), name="space_member_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name_th


class SpacePhoto(models.Model):
    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("workspace"), validators=[validate_image_file])
    caption_th = models.CharField(_("caption (Thai)"), max_length=200, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption_th or self.image.name


class Booking(TimeStampedModel):
    """A space held for [starts_at, ends_at); the buffer after it is held until occupied_until."""

    class Kind(models.TextChoices):
        BOOKING = "booking", _("Booking")
        BLOCK = "block", _("Blocked by staff")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class PaymentStatus(models.TextChoices):
        FREE = "free", _("Free of charge")
        UNPAID = "unpaid", pgettext_lazy("booking payment", "To be paid")
        PAID = "paid", pgettext_lazy("booking payment", "Paid")

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOKING)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    reference = models.CharField(_("booking number"), max_length=12, unique=True)
    # The private link: whoever holds it may see, cancel or move this booking.
    token = models.CharField(max_length=64, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    occupied_until = models.DateTimeField(_("kept free until"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    attendees = models.PositiveIntegerField(_("people"), default=1)
    language = models.CharField(_("language"), max_length=2, default="th")
    # Where the booking was made, so that e-mails sent later (reminders) link back to the same site.
    site_url = models.CharField(max_length=200, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="workspace_bookings",
    )  # fmt: skip
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    price_per_hour = models.DecimalField(_("price per hour"), max_digits=12, decimal_places=2)
    amount_due = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    sequence = models.PositiveIntegerField(default=0, help_text="RFC 5545 SEQUENCE: raised on every change.")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    # Money in for it, kept by the payments app (which knows nothing of bookings).
    payments = GenericRelation("payments.Payment", related_query_name="booking")

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        permissions = [
            ("manage_bookings", _("Can book for others, block times and check people in")),
            ("record_booking_payment", _("Can record a payment for a booking")),
            ("view_utilisation", _("Can see how much the spaces are used")),
            ("rotate_wifi", _("Can change the guests' WiFi password")),
        ]
        indexes = [models.Index(fields=["space", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="booking_starts_before_it_ends"),
            models.CheckConstraint(condition=Q(occupied_until__gte=F("ends_at")), name="booking_buffer_not_negative"),
            models.CheckConstraint(condition=Q(amount_due__gte=0), name="booking_amount_not_negative"),
            # PostgreSQL adds an exclusion constraint on (space, [starts_at, occupied_until)) in
            # migration 0002; SQLite has none, so services check under the write lock.
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


ACTIVE_STATUSES = [Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN, Booking.Status.NO_SHOW]


class BookingEvent(models.Model):
    """What happened to a booking, by whom: created, moved, cancelled, checked in, paid…"""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=30)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.action}"


class WifiCredential(models.Model):
    """The WiFi name and password given to guests: for one day of a space, or for one booking."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="wifi_credentials")
    day = models.DateField(_("date"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="wifi_credential"
    )
    network_name = models.CharField(_("WiFi network name"), max_length=64)
    password = models.CharField(_("WiFi password"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("WiFi password")
        verbose_name_plural = _("WiFi passwords")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "day"], condition=Q(booking__isnull=True), name="one_wifi_password_per_space_day"
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=False) | Q(booking__isnull=False), name="wifi_password_for_day_or_booking"
            ),
        ]

    def __str__(self) -> str:
        return self.network_name
