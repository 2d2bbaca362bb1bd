"""Carriers, their services, weight bands and remote areas, box sizes, pickup holidays: data the manager edits."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib import admin
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.thaidates import BUDDHIST_ERA_OFFSET, buddhist_year, format_date
from otop.shipping.models import (
    BoxSize,
    Carrier,
    CarrierPush,
    PickupHoliday,
    RateBand,
    RemoteArea,
    Service,
    Shipment,
    ShippingSettings,
)


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class RemoteAreaInline(admin.TabularInline):
    model = RemoteArea
    extra = 0


class RateBandInline(admin.TabularInline):
    model = RateBand
    extra = 0


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "kind", "is_enabled", "offers_cod", "cod_fee", "cutoff_time", "rates_as_of")
    list_editable = ("is_enabled",)
    inlines = [ServiceInline, RemoteAreaInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("carrier", "code", "name_th", "is_enabled", "days_min", "days_max", "max_grams")
    inlines = [RateBandInline]


@admin.register(BoxSize)
class BoxSizeAdmin(admin.ModelAdmin):
    list_display = ("name", "length_cm", "width_cm", "height_cm", "packaging_grams", "max_content_grams")


@admin.register(ShippingSettings)
class ShippingSettingsAdmin(admin.ModelAdmin):
    list_display = ("free_delivery_from", "sender_postcode")


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("order", "service", "tracking_number", "status", "fee", "needs_attention")
    list_filter = ("status", "needs_attention")
    search_fields = ("tracking_number", "order__number")
    raw_id_fields = ("order",)


@admin.register(CarrierPush)
class CarrierPushAdmin(admin.ModelAdmin):
    """What carriers pushed to the webhook and what the check with the carrier found (read only)."""

    list_display = ("received_at", "carrier_kind", "tracking_number", "checked_at", "new_events", "error")
    list_filter = ("carrier_kind",)
    search_fields = ("tracking_number", "key")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# A four-digit year from 2400 on is a Buddhist-era year (พ.ศ.): 2400 BE is 1857, long before any parcel.
_YEAR = re.compile(r"\b\d{4}\b")
_FIRST_BUDDHIST_YEAR = 2400


class EraDateInput(forms.DateInput):
    """Shows the day as 13/04/2569 (Buddhist era) on Thai pages, 13/04/2026 on English ones."""

    def format_value(self, value):
        if isinstance(value, date):
            year = buddhist_year(value.year) if (translation.get_language() or "th")[:2] == "th" else value.year
            return f"{value:%d/%m}/{year}"
        return super().format_value(value)


class EraDateField(forms.DateField):
    """A day typed day/month/year with a Buddhist-era year (13/04/2569) or a Gregorian one (13/04/2026,
    2026-04-13)."""

    widget = EraDateInput

    def to_python(self, value):
        if isinstance(value, str):
            value = _YEAR.sub(
                lambda found: (
                    str(int(found[0]) - BUDDHIST_ERA_OFFSET) if int(found[0]) >= _FIRST_BUDDHIST_YEAR else found[0]
                ),
                value.strip(),
            )
        return super().to_python(value)


class PickupHolidayForm(forms.ModelForm):
    day = EraDateField(
        label=pgettext_lazy("pickup holiday", "day"),
        help_text=_("Day/month/year, in the Buddhist era (13/04/2569) or the Common Era (13/04/2026)."),
    )

    class Meta:
        model = PickupHoliday
        fields = ["day", "carrier", "name_th", "name_en"]


@admin.register(PickupHoliday)
class PickupHolidayAdmin(admin.ModelAdmin):
    """Days carriers take no parcels: quotes and bookings then say the parcel leaves on the next pickup day."""

    form = PickupHolidayForm
    list_display = ("day_shown", "name_th", "name_en", "carrier_shown")
    list_filter = ("carrier",)
    search_fields = ("name_th", "name_en")
    ordering = ("day", "carrier")

    @admin.display(description=pgettext_lazy("pickup holiday", "day"), ordering="day")
    def day_shown(self, holiday: PickupHoliday) -> str:
        return format_date(holiday.day)

    @admin.display(description=_("carrier"), ordering="carrier__code")
    def carrier_shown(self, holiday: PickupHoliday) -> str:
        return str(holiday.carrier) if holiday.carrier_id else str(_("every carrier"))
