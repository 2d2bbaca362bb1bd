from django.contrib import admin

from otop.core.admin_order import NameOrderedAdmin
from otop.workspace.models import Booking, Equipment, Space, SpacePhoto, WifiCredential


class SpacePhotoInline(admin.TabularInline):
    model = SpacePhoto
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name_th", "kind", "capacity", "price_per_hour", "is_active", "position"]
    list_editable = ["is_active", "position"]
    filter_horizontal = ["equipment"]
    inlines = [SpacePhotoInline]


@admin.register(Equipment)
class EquipmentAdmin(NameOrderedAdmin):
    list_display = ["name_th", "name_en", "code"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # Bookings change through the staff pages (services), which check the rules; the admin only reads.
    list_display = ["reference", "space", "starts_at", "ends_at", "name", "status", "payment_status"]
    list_filter = ["space", "status", "kind", "payment_status"]
    search_fields = ["reference", "name", "phone", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WifiCredential)
class WifiCredentialAdmin(admin.ModelAdmin):
    list_display = ["space", "day", "booking", "network_name", "password"]
