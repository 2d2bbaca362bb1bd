"""Reads of the chat channels: a chat's cart (capped by what can be sold now), its orders, the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from otop.catalog.models import Product, Variant
from otop.catalog.selectors import listed_products, sellable_variants
from otop.channels.models import (
    PUSH_KIND_OF_EVENT,
    ChatContact,
    ChatMessage,
    Conversation,
    PushKind,
    PushPreference,
)
from otop.core.money import ZERO, line_total
from otop.inventory.selectors import available_quantities
from otop.orders.models import Order

# As on the website: at most this many of one item in a cart.
MAX_QUANTITY = 99


@dataclass(frozen=True)
class ChatCartItem:
    variant: Variant  # with its product
    quantity: int  # what will be ordered: what was asked for, capped by what is available
    wanted: int  # what was asked for
    available: int

    @property
    def line_total(self) -> Decimal:
        return line_total(self.variant.price, self.quantity)

    @property
    def is_capped(self) -> bool:
        return self.quantity < self.wanted


@dataclass(frozen=True)
class ChatCart:
    items: list[ChatCartItem]

    @property
    def subtotal(self) -> Decimal:
        return sum((item.line_total for item in self.items), ZERO)

    @property
    def count(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def orderable(self) -> list[ChatCartItem]:
        return [item for item in self.items if item.quantity > 0]


def chat_cart(contact: ChatContact) -> ChatCart:
    """The chat's cart with what can be sold now; items no longer on sale are left out."""
    wanted = dict(contact.cart_lines.order_by("added_at", "pk").values_list("variant_id", "quantity"))
    if not wanted:
        return ChatCart(items=[])
    variants = {
        variant.pk: variant
        for variant in sellable_variants().filter(pk__in=wanted).select_related("product__producer__district")
    }
    available = available_quantities(variant_ids=list(variants))
    return ChatCart(
        items=[
            ChatCartItem(
                variant=variants[pk],
                quantity=min(quantity, available[pk], MAX_QUANTITY),
                wanted=quantity,
                available=available[pk],
            )
            for pk, quantity in wanted.items()
            if pk in variants
        ]
    )


def orders_of_contact(contact: ChatContact, *, limit: int = 5) -> list[Order]:
    """The orders placed from this chat, newest first."""
    return list(Order.objects.filter(chat_checkout__contact=contact).order_by("-placed_at")[:limit])


def contact_for_order(order: Order) -> ChatContact | None:
    """The chat the order was placed from, if any."""
    return ChatContact.objects.filter(checkout_links__order=order).first()


def products_in_category(code: str, *, limit: int) -> list[Product]:
    """Listed products of a category, newest first, with what a product card shows."""
    return list(
        listed_products()
        .filter(category__code=code)
        .select_related("category", "producer__district")
        .prefetch_related(Prefetch("variants", queryset=sellable_variants().order_by("-is_default", "sort_order")))
        .order_by("-created_at", "-pk")[:limit]
    )


def push_kinds_enabled(user) -> dict[str, bool]:
    """Each kind of pushed news → on or off for this account (on unless switched off)."""
    chosen = dict(PushPreference.objects.filter(user=user).values_list("kind", "is_enabled"))
    return {kind: chosen.get(kind, True) for kind in PushKind.values}


def push_enabled(user, kind: str) -> bool:
    return PushPreference.objects.filter(user=user, kind=kind, is_enabled=False).first() is None


def push_wanted(user, event: str) -> bool:
    """Whether this account wants the news of a notification event pushed to its chats."""
    kind = PUSH_KIND_OF_EVENT.get(event)
    return kind is None or push_enabled(user, kind)


def linked_contacts(user) -> QuerySet[ChatContact]:
    return ChatContact.objects.filter(user=user).order_by("-last_seen_at", "-pk")


def conversations_for_staff(*, status: str = Conversation.Status.WAITING) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(status=status)
        .select_related("contact")
        .annotate(message_count=Count("messages"))
        .order_by("-last_message_at")
    )


def conversation_with_messages(conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.select_related("contact", "closed_by")
        .prefetch_related(Prefetch("messages", queryset=ChatMessage.objects.select_related("author", "outbound")))
        .filter(pk=conversation_id)
        .first()
    )


def waiting_conversation_of(contact: ChatContact) -> Conversation | None:
    return Conversation.objects.filter(contact=contact, status=Conversation.Status.WAITING).first()
