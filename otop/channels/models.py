"""Chat channels (LINE today, Messenger beside it later): the people who write to the center, the events
their platform sent, the cart each keeps in the chat, one-time checkout links, the conversations that
wait for a person, and the links between a chat and an account (producers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    LINE = "line", "LINE"
    MESSENGER = "messenger", "Messenger"


class ChatContact(models.Model):
    """One person on one chat platform (a LINE user id), with what the platform told us of them."""

    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    external_id = models.CharField(_("user id on the platform"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_contacts",
    )
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="th")
    is_following = models.BooleanField(
        _("following"), default=True, help_text=_("Blocked or unfollowed accounts get no pushed messages.")
    )
    followed_at = models.DateTimeField(_("followed at"), null=True, blank=True)
    unfollowed_at = models.DateTimeField(_("unfollowed at"), null=True, blank=True)
    profile_read_at = models.DateTimeField(_("profile read at"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat contact")
        verbose_name_plural = _("chat contacts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="one_contact_per_platform_user")
        ]

    def __str__(self) -> str:
        return self.display_name or self.external_id


class InboundEvent(models.Model):
    """One event a platform sent to our webhook, kept once (its id is unique) and worked on by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        WORKING = "working", _("Working")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    event_id = models.CharField(_("event id"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("payload"))
    is_redelivery = models.BooleanField(_("redelivered"), default=False)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("inbound event")
        verbose_name_plural = _("inbound events")
        constraints = [models.UniqueConstraint(fields=["platform", "event_id"], name="one_inbound_event_per_id")]

    def __str__(self) -> str:
        return f"{self.platform} {self.kind} {self.event_id}"


class ChatCartLine(models.Model):
    """What a person put in the cart in a chat; quantities are capped by stock when shown and ordered."""

    contact = models.ForeignKey(ChatContact, on_delete=models.CASCADE, related_name="cart_lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat cart line")
        verbose_name_plural = _("chat cart lines")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "variant"], name="one_chat_cart_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="chat_cart_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} × {self.quantity}"


class CheckoutLink(models.Model):
    """A one-time link (signed, expiring) that opens the checkout of a chat's cart; used once, for one order."""

    contact = models.ForeignKey(ChatContact, on_delete=models.CASCADE, related_name="checkout_links")
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="chat_checkout"
    )

    class Meta:
        verbose_name = _("checkout link")
        verbose_name_plural = _("checkout links")

    def __str__(self) -> str:
        return f"{self.contact} {self.created_at:%Y-%m-%d %H:%M}"


class Conversation(models.Model):
    """A chat waiting for a person at the center (the staff inbox), until staff mark it done."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for staff")
        DONE = "done", _("Done")

    class Reason(models.TextChoices):
        ASKED = "asked", _("Asked for a person")
        UNANSWERED = "unanswered", _("The bot could not answer")
        MEDIA = "media", _("Sent a photo or a file")

    contact = models.ForeignKey(ChatContact, on_delete=models.CASCADE, related_name="conversations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    opened_at = models.DateTimeField(_("opened at"))
    last_message_at = models.DateTimeField(_("last message at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]
        permissions = [("reply_conversation", _("Can answer chat conversations"))]
        constraints = [
            # One open conversation per person: new messages join it.
            models.UniqueConstraint(
                fields=["contact"], condition=Q(status="waiting"), name="one_waiting_conversation_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_status_display()})"


class ChatMessage(models.Model):
    """One message of a conversation, from the person or from staff."""

    class Direction(models.TextChoices):
        IN = "in", _("From the customer")
        OUT = "out", _("From staff")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, default="text")
    text = models.TextField(_("text"), blank=True)
    # A photo the person sent, re-encoded by us (never served as sent); shown to staff only.
    image = models.ImageField(_("photo"), upload_to="chat/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), null=True, blank=True, on_delete=models.SET_NULL
    )
    outbound = models.ForeignKey(
        "notifications.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.direction}: {self.text[:40]}"


class LinkCode(models.Model):
    """A one-time code an account holder (a producer) sends to the chat to link it to the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_link_codes")
    code = models.CharField(_("code"), max_length=12, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    contact = models.ForeignKey(ChatContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("link code")
        verbose_name_plural = _("link codes")

    def __str__(self) -> str:
        return self.code


class PushKind(models.TextChoices):
    """The kinds of news a linked producer may switch off (everything is on until switched off)."""

    SALES = "sales", _("Sales of my products")
    LOW_STOCK = "low_stock", _("Low stock")
    STATEMENTS = "statements", _("Monthly statements")
    DECISIONS = "decisions", _("Committee decisions")
    CERTIFICATIONS = "certifications", _("Certifications about to expire")


# The notification events each push switch covers (events not named here are always sent).
PUSH_KIND_OF_EVENT = {
    "line/sales_digest": PushKind.SALES,
    "low_stock": PushKind.LOW_STOCK,
    "settlement_ready": PushKind.STATEMENTS,
    "application_approved": PushKind.DECISIONS,
    "application_rejected": PushKind.DECISIONS,
    "application_changes_requested": PushKind.DECISIONS,
    "application_under_review": PushKind.DECISIONS,
    "application_submitted": PushKind.DECISIONS,
    "application_withdrawn": PushKind.DECISIONS,
    "product_delisted": PushKind.DECISIONS,
    "certification_expiring": PushKind.CERTIFICATIONS,
}


class PushPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_push_preferences")
    kind = models.CharField(_("kind"), max_length=20, choices=PushKind.choices)
    is_enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("push preference")
        verbose_name_plural = _("push preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_push_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.is_enabled}"


class SalesPushCursor(models.Model):
    """The last sold item a producer was told about, so every sale is told once, in batches."""

    producer = models.OneToOneField("producers.Producer", on_delete=models.CASCADE, related_name="+")
    last_sold_item_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.producer_id}: {self.last_sold_item_id}"


class FeedBuild(models.Model):
    """The last built catalogue feed of a kind (Meta CSV/XML, the English override, Google): the file in
    the default storage, the state of the catalogue and stock it was built from, and when."""

    kind = models.CharField(_("feed"), max_length=20, unique=True)
    name = models.CharField(_("stored file"), max_length=200)
    fingerprint = models.CharField(_("built from"), max_length=64)
    built_at = models.DateTimeField(_("built at"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    size = models.PositiveBigIntegerField(_("bytes"), default=0)

    class Meta:
        verbose_name = _("catalogue feed")
        verbose_name_plural = _("catalogue feeds")

    def __str__(self) -> str:
        return f"{self.kind} ({self.rows})"


class OrderAttribution(models.Model):
    """Where an order from a Facebook or Instagram shop came from: Meta's `cart_origin` and the `utm_*` values."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="attribution")
    cart_origin = models.CharField(_("cart origin"), max_length=20)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("order attribution")
        verbose_name_plural = _("order attributions")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.cart_origin}"
