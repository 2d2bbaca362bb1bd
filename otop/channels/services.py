"""Writes of the chat channels, the same for every platform: contacts, the chat cart, one-time checkout
links and the order placed through them (by orders.services.place_order), the staff inbox, and the
codes that link a chat to an account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.catalog.selectors import sellable_variants
from otop.channels.errors import (
    CheckoutLinkInvalid,
    CheckoutLinkUsed,
    ContactUnreachable,
    ConversationClosed,
    EmptyChatCart,
    EmptyReply,
)
from otop.channels.models import (
    ChatCartLine,
    ChatContact,
    ChatMessage,
    CheckoutLink,
    Conversation,
    InboundEvent,
    LinkCode,
    OrderAttribution,
    PushKind,
    PushPreference,
    SalesPushCursor,
)
from otop.channels.platforms import platform_for
from otop.channels.selectors import MAX_QUANTITY, chat_cart
from otop.core import consent
from otop.core.services import record_audit_event
from otop.inventory.models import SoldItem
from otop.inventory.selectors import available_quantities
from otop.orders import services as order_services
from otop.orders.models import Order
from otop.producers.models import Producer
from otop.tax.services import Buyer

# --- contacts ----------------------------------------------------------------------------------


def meet_contact(*, platform: str, external_id: str, now: datetime | None = None) -> tuple[ChatContact, bool]:
    """The contact of this platform user, marked as seen now, and whether this is the first sight of them
    (true for exactly one caller: the row is unique per platform user)."""
    now = now or timezone.now()
    contact, created = ChatContact.objects.get_or_create(
        platform=platform, external_id=external_id, defaults={"last_seen_at": now, "followed_at": now}
    )
    if not created:
        ChatContact.objects.filter(pk=contact.pk).update(last_seen_at=now)
        contact.last_seen_at = now
    return contact, created


def contact_for(*, platform: str, external_id: str, now: datetime | None = None) -> ChatContact:
    """The contact of this platform user (made on first sight), marked as seen now."""
    return meet_contact(platform=platform, external_id=external_id, now=now)[0]


def record_follow(*, contact: ChatContact, now: datetime | None = None) -> None:
    now = now or timezone.now()
    ChatContact.objects.filter(pk=contact.pk).update(is_following=True, followed_at=now, unfollowed_at=None)
    contact.is_following, contact.followed_at, contact.unfollowed_at = True, now, None


def record_unfollow(*, contact: ChatContact, now: datetime | None = None) -> None:
    """The person blocked or unfollowed the account: nothing is pushed to them any more."""
    now = now or timezone.now()
    ChatContact.objects.filter(pk=contact.pk).update(is_following=False, unfollowed_at=now)
    contact.is_following, contact.unfollowed_at = False, now


def stop_marketing(*, contact: ChatContact) -> int:
    """The person typed "หยุด" (stop): withdraw their consent to marketing in chats, under this chat and
    their linked account. Returns how many consents were withdrawn (0 when none was given)."""
    subjects = consent.subjects_for(
        user_id=contact.user_id, extra=[consent.chat_subject(contact.platform, contact.external_id)]
    )
    return consent.withdraw(subjects=subjects, purpose=consent.MARKETING_CHAT, channel=contact.platform)


def record_profile(*, contact: ChatContact, display_name: str, language: str, now: datetime | None = None) -> None:
    """Keep the name and language the platform reports (English only when the person uses English)."""
    now = now or timezone.now()
    language = "en" if (language or "").lower().startswith("en") else "th"
    ChatContact.objects.filter(pk=contact.pk).update(
        display_name=display_name[:200], language=language, profile_read_at=now
    )
    contact.display_name, contact.language, contact.profile_read_at = display_name[:200], language, now


# LINE redelivers an event within hours; a month of ids is plenty to answer each once, and the
# events (people's messages) are not kept longer than that.
EVENTS_KEPT = timedelta(days=30)


def forget_old_events(*, now: datetime | None = None) -> int:
    """Delete webhook events older than EVENTS_KEPT; returns how many."""
    now = now or timezone.now()
    return InboundEvent.objects.filter(received_at__lt=now - EVENTS_KEPT).delete()[0]


# --- the chat cart -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CartChange:
    in_cart: int  # how many of the item the cart holds now
    available: int  # how many can be sold now
    found: bool  # the item is on sale


@transaction.atomic
def add_to_cart(*, contact: ChatContact, variant_id: int, quantity: int = 1) -> CartChange:
    """Add units of an item, capped by what can be sold now (as the website's cart does)."""
    variant = sellable_variants().filter(pk=variant_id).first()
    if variant is None or quantity <= 0:
        return CartChange(in_cart=0, available=0, found=variant is not None)
    available = available_quantities(variant_ids=[variant.pk])[variant.pk]
    line = ChatCartLine.objects.select_for_update().filter(contact=contact, variant=variant).first()
    target = min((line.quantity if line else 0) + quantity, available, MAX_QUANTITY)
    if target <= 0:
        ChatCartLine.objects.filter(contact=contact, variant=variant).delete()
        return CartChange(in_cart=0, available=available, found=True)
    if line:
        ChatCartLine.objects.filter(pk=line.pk).update(quantity=target)
    else:
        ChatCartLine.objects.create(contact=contact, variant=variant, quantity=target)
    return CartChange(in_cart=target, available=available, found=True)


def remove_from_cart(*, contact: ChatContact, variant_id: int) -> int:
    """Take an item out of the cart; returns how many lines were removed (0 or 1)."""
    return ChatCartLine.objects.filter(contact=contact, variant_id=variant_id).delete()[0]


def clear_cart(*, contact: ChatContact) -> None:
    ChatCartLine.objects.filter(contact=contact).delete()


# --- one-time checkout links ----------------------------------------------------------------------

CHECKOUT_SALT = "otop.channels.checkout-link"
CHECKOUT_LINK_LIFETIME = timedelta(hours=2)


def issue_checkout_link(*, contact: ChatContact, now: datetime | None = None) -> str:
    """Make a one-time link to check out the chat's cart; returns its signed token."""
    now = now or timezone.now()
    nonce = secrets.token_urlsafe(18)
    CheckoutLink.objects.create(contact=contact, nonce=nonce, created_at=now, expires_at=now + CHECKOUT_LINK_LIFETIME)
    return signing.TimestampSigner(salt=CHECKOUT_SALT).sign(nonce)


def checkout_link_for(token: str, *, now: datetime | None = None) -> CheckoutLink:
    """The link a token names: CheckoutLinkInvalid when forged, unknown or out of time (a used link is
    returned: its page shows the order it placed)."""
    now = now or timezone.now()
    try:
        nonce = signing.TimestampSigner(salt=CHECKOUT_SALT).unsign(token)
    except signing.BadSignature:
        raise CheckoutLinkInvalid(_("This checkout link is not valid. Ask for a new one in the chat.")) from None
    link = CheckoutLink.objects.select_related("contact", "order").filter(nonce=nonce).first()
    if link is None or (link.used_at is None and link.expires_at <= now):
        raise CheckoutLinkInvalid(_("This checkout link has expired. Ask for a new one in the chat."))
    return link


def place_chat_order(
    *,
    link: CheckoutLink,
    customer: order_services.CustomerDetails,
    delivery_method: str,
    address: order_services.AddressDetails | None,
    now: datetime | None = None,
    delivery_option: str = "",
    coupon: str = "",
    tax_invoice: Buyer | None = None,
    payment: str = Order.Payment.PROMPTPAY,
) -> Order:
    """Place the order of a chat's cart through its one-time link (once), then tell the chat.

    `tax_invoice`: the buyer asks for a full tax invoice (checked by the tax service, issued when paid).
    `payment`: PromptPay, or cash on delivery where the chosen carrier collects it (place_order checks it
    and adds the carrier's COD fee, as on the website).

    The order goes through orders.services.place_order like the website's; its refusals (InvalidOrder,
    OutOfStock) leave the link, the cart and everything else as they were.
    """
    now = now or timezone.now()
    with transaction.atomic():
        link = CheckoutLink.objects.select_for_update().select_related("contact").get(pk=link.pk)
        if link.used_at is not None:
            raise CheckoutLinkUsed(_("This checkout link was used already: your order is placed."))
        if link.expires_at <= now:
            raise CheckoutLinkInvalid(_("This checkout link has expired. Ask for a new one in the chat."))
        contact = link.contact
        cart = chat_cart(contact)
        if not cart.orderable:
            raise EmptyChatCart(_("Your cart is empty, or what was in it is sold out."))
        order = order_services.place_order(
            items=[(item.variant.sku, item.quantity) for item in cart.orderable],
            customer=customer,
            delivery_method=delivery_method,
            address=address,
            channel=contact.platform,
            user=contact.user,
            language=contact.language,
            now=now,
            delivery_option=delivery_option,
            coupon=coupon,
            tax_invoice=tax_invoice,
            payment=payment,
        )
        CheckoutLink.objects.filter(pk=link.pk).update(used_at=now, order=order)
        clear_cart(contact=contact)
        transaction.on_commit(partial(_tell_order_placed, contact_id=contact.pk, order_id=order.pk))
    return order


def _tell_order_placed(*, contact_id: int, order_id: int) -> None:
    contact = ChatContact.objects.get(pk=contact_id)
    platform_for(contact.platform).order_placed(contact=contact, order=Order.objects.get(pk=order_id))


# --- the staff inbox ---------------------------------------------------------------------------------


def record_incoming_message(
    *,
    contact: ChatContact,
    reason: str,
    text: str = "",
    kind: str = "text",
    image_name: str = "",
    image_content: bytes | None = None,
    now: datetime | None = None,
) -> Conversation:
    """Put a person's message in the staff inbox: into their open conversation, or a new one."""
    now = now or timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.filter(contact=contact, status=Conversation.Status.WAITING).first()
        if conversation is None:
            try:
                with transaction.atomic():
                    conversation = Conversation.objects.create(
                        contact=contact, reason=reason, opened_at=now, last_message_at=now
                    )
            except IntegrityError:  # opened by a message worked on at the same moment
                conversation = Conversation.objects.get(contact=contact, status=Conversation.Status.WAITING)
        else:
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        message = ChatMessage(
            conversation=conversation, direction=ChatMessage.Direction.IN, kind=kind, text=text, at=now
        )
        if image_content is not None:
            message.image.save(image_name or "photo.jpg", ContentFile(image_content), save=False)
        message.save()
    return conversation


def reply_to_conversation(*, conversation: Conversation, text: str, actor: User | None, now: datetime | None = None):
    """Staff answer a waiting conversation: the text is pushed to the person and kept in the thread."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise EmptyReply(_("Write a reply first."))
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().select_related("contact").get(pk=conversation.pk)
        if conversation.status != Conversation.Status.WAITING:
            raise ConversationClosed(_("This conversation is closed."))
        contact = conversation.contact
        outbound = platform_for(contact.platform).send_text(contact=contact, text=text, event="chat/staff_reply")
        if outbound is None:
            raise ContactUnreachable(_("This person can no longer be reached (they unfollowed the account)."))
        message = ChatMessage.objects.create(
            conversation=conversation,
            direction=ChatMessage.Direction.OUT,
            text=text,
            author=actor,
            outbound=outbound,
            at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        record_audit_event(actor=actor, action="channels.conversation_replied", target=conversation, summary=text[:80])
    return message


def close_conversation(*, conversation: Conversation, actor: User | None, now: datetime | None = None) -> Conversation:
    """Staff mark a conversation done; the person's next message opens a new one."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Conversation.objects.filter(pk=conversation.pk, status=Conversation.Status.WAITING).update(
            status=Conversation.Status.DONE, closed_at=now, closed_by=actor
        )
        if not updated:
            raise ConversationClosed(_("This conversation is closed."))
        record_audit_event(actor=actor, action="channels.conversation_closed", target=conversation, summary="")
    conversation.refresh_from_db()
    return conversation


# --- linking a chat to an account (producers) --------------------------------------------------------

LINK_CODE_LIFETIME = timedelta(minutes=15)


def issue_link_code(*, user: User, now: datetime | None = None) -> LinkCode:
    """A six-digit code, valid 15 minutes, that the account holder sends to the chat to link it."""
    now = now or timezone.now()
    LinkCode.objects.filter(user=user, used_at__isnull=True).delete()
    for _attempt in range(20):
        code = f"{secrets.randbelow(1_000_000):06d}"
        # A code is reused only long after its time ran out; the unique key refuses a clash.
        LinkCode.objects.filter(code=code, expires_at__lte=now - timedelta(days=1)).delete()
        try:
            with transaction.atomic():
                return LinkCode.objects.create(
                    user=user, code=code, created_at=now, expires_at=now + LINK_CODE_LIFETIME
                )
        except IntegrityError:
            continue
    raise RuntimeError("no free link code")


def redeem_link_code(*, contact: ChatContact, code: str, now: datetime | None = None) -> User | None:
    """Link the chat to the account whose code this is (once, in time); None when the code is not valid."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = LinkCode.objects.filter(code=code, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now, contact=contact
        )
        if not updated:
            return None
        user = LinkCode.objects.select_related("user").get(code=code).user
        ChatContact.objects.filter(pk=contact.pk).update(user=user)
        contact.user = user
        producer = Producer.objects.filter(user=user).first()
        if producer is not None:
            start_sales_cursor(producer)
        record_audit_event(actor=user, action="channels.chat_linked", target=contact, summary=contact.platform)
    return user


def start_sales_cursor(producer: Producer) -> None:
    """Sales from now on are told; earlier ones were told before, or never will be."""
    if not SalesPushCursor.objects.filter(producer=producer).exists():
        last = SoldItem.objects.filter(producer=producer).aggregate(last=Max("pk"))["last"] or 0
        SalesPushCursor.objects.get_or_create(producer=producer, defaults={"last_sold_item_id": last})


def unlink_chats(*, user: User) -> int:
    """Stop sending this account's news to any chat; returns how many chats were linked."""
    with transaction.atomic():
        count = ChatContact.objects.filter(user=user).update(user=None)
        if count:
            record_audit_event(actor=user, action="channels.chat_unlinked", target=user, summary=str(count))
    return count


def set_push_preferences(*, user: User, enabled: set[str]) -> None:
    """Switch each kind of pushed news on (in `enabled`) or off."""
    with transaction.atomic():
        for kind in PushKind.values:
            PushPreference.objects.update_or_create(user=user, kind=kind, defaults={"is_enabled": kind in enabled})


UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


def record_attribution(*, order: Order, cart_origin: str, utm: dict[str, str]) -> OrderAttribution:
    """Keep where a shop order came from (Meta's cart_origin and the utm_* parameters) beside the order."""
    values = {name: str(utm.get(name, ""))[:100] for name in UTM_FIELDS}
    return OrderAttribution.objects.update_or_create(order=order, defaults={"cart_origin": cart_origin[:20], **values})[
        0
    ]
