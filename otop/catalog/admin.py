from django.contrib import admin

from otop.catalog.models import Category, Product, Variant
from otop.core.admin_order import NameOrderedAdmin


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en", "sort_order")


@admin.register(Product)
class ProductAdmin(NameOrderedAdmin):
    list_display = ("sku", "name_th", "category", "producer", "status")
    list_filter = ("status", "category")
    search_fields = ("sku", "name_th", "name_en")
    raw_id_fields = ("producer",)
    inlines = [VariantInline]
