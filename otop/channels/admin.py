from django.contrib import admin

from otop.channels.models import ChatContact, Conversation, InboundEvent


@admin.register(ChatContact)
class ChatContactAdmin(admin.ModelAdmin):
    list_display = ("platform", "display_name", "external_id", "user", "language", "is_following", "last_seen_at")
    list_filter = ("platform", "is_following", "language")
    search_fields = ("display_name", "external_id")
    readonly_fields = [field.name for field in ChatContact._meta.fields]


@admin.register(InboundEvent)
class InboundEventAdmin(admin.ModelAdmin):
    list_display = ("platform", "kind", "event_id", "status", "received_at", "is_redelivery")
    list_filter = ("platform", "kind", "status")
    readonly_fields = [field.name for field in InboundEvent._meta.fields]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("contact", "status", "reason", "opened_at", "last_message_at")
    list_filter = ("status", "reason")
    readonly_fields = [field.name for field in Conversation._meta.fields]
