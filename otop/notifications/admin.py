from django.contrib import admin

from otop.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("event", "channel", "recipient", "status", "created_at", "sent_at")
    list_filter = ("channel", "status", "event")
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]
