from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from otop.accounts.models import ApiToken, User


@admin.register(User)
class OtopUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("Center"), {"fields": ("phone", "preferred_language")}))
    list_display = ("username", "first_name", "last_name", "phone", "is_active")
    search_fields = ("username", "first_name", "last_name", "phone", "email")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "user__username")

    def has_add_permission(self, request):  # keys are issued with `manage.py issue_api_token`
        return False
