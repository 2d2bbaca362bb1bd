from django.contrib import admin

from otop.orders.models import Coupon, CouponUse


class CouponUseInline(admin.TabularInline):
    model = CouponUse
    extra = 0
    can_delete = False
    fields = ("order", "phone", "amount", "used_at")
    readonly_fields = fields


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    """Staff create the center's coupons here (dates are entered in Bangkok time, the site's time zone)."""

    list_display = ("code", "kind", "value", "min_spend", "starts_at", "ends_at", "max_uses", "borne_by", "is_active")
    list_filter = ("kind", "borne_by", "is_active")
    search_fields = ("code", "description")
    filter_horizontal = ("categories",)
    raw_id_fields = ("products",)
    inlines = [CouponUseInline]

    def save_model(self, request, obj, form, change) -> None:
        obj.code = obj.code.strip().upper()
        super().save_model(request, obj, form, change)
