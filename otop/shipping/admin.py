"""Carriers, their services, weight bands and remote areas, box sizes: data the manager edits."""

from django.contrib import admin

from otop.shipping.models import (
    BoxSize,
    Carrier,
    CarrierPush,
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
