from django.contrib import admin

from otop.core.admin_order import NameOrderedAdmin
from otop.producers.models import Producer


@admin.register(Producer)
class ProducerAdmin(NameOrderedAdmin):
    list_display = ("name_th", "kind", "district", "province", "otop_stars", "is_active")
    list_filter = ("kind", "province", "is_active")
    search_fields = ("name_th", "name_en", "phone")
    raw_id_fields = ("user", "district", "subdistrict", "province")
