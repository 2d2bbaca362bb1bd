"""What the bot does with each LINE event, in the worker: a text is a product search (through the
site's search) unless it is a command or a producer's link code; postbacks work the cart; a follow is
greeted, an unfollow stops pushes; photos go to the image hook and then to staff.

Each event is claimed (queued → working) before it is worked on, so an event delivered twice, or
queued by two webhook calls at once, is answered once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from otop.catalog.models import Category, Variant
from otop.catalog.selectors import sellable_variants
from otop.channels import intents, selectors, services
from otop.channels.line import messages as m
from otop.channels.line.client import LineRefused, line_client
from otop.channels.line.outbox import LinePlatform, send_answer
from otop.channels.media import answer_for_image, clean_photo
from otop.channels.models import ChatContact, Conversation, InboundEvent, Platform
from otop.core.i18n import localized
from otop.core.selectors import center_profile
from otop.inventory.selectors import available_quantities
from otop.notifications.channels import TemporaryFailure
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for, qr_path
from otop.search.selectors import search_products

logger = logging.getLogger("otop.channels.line")

SEARCH_RESULTS = 12
# LINE keeps a reply token for about a minute; past that the answer is pushed straight away.
REPLY_TOKEN_LIFE = timedelta(seconds=50)


@dataclass
class Turn:
    """One event being answered: who, and the reply token while it is fresh."""

    contact: ChatContact
    reply_token: str
    event: str

    def answer(self, messages: list[dict]) -> None:
        send_answer(self.contact, messages, reply_token=self.reply_token, event=self.event)


def process_events(*, event_ids: list[str], now: datetime | None = None) -> int:
    """Work on stored events in the order given; returns how many this call worked on."""
    done = 0
    for event_id in event_ids:
        claimed = InboundEvent.objects.filter(
            platform=Platform.LINE, event_id=event_id, status=InboundEvent.Status.QUEUED
        ).update(status=InboundEvent.Status.WORKING)
        if not claimed:
            continue
        event = InboundEvent.objects.get(platform=Platform.LINE, event_id=event_id)
        try:
            handle_event(event, now=now)
        except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
            logger.exception("LINE event %s failed", event_id)
            InboundEvent.objects.filter(pk=event.pk).update(
                status=InboundEvent.Status.FAILED, error=str(error)[:2000], processed_at=timezone.now()
            )
        else:
            InboundEvent.objects.filter(pk=event.pk).update(
                status=InboundEvent.Status.DONE, processed_at=timezone.now()
            )
        done += 1
    return done


def _fresh_reply_token(payload: dict, now: datetime) -> str:
    token = payload.get("replyToken") or ""
    sent_ms = payload.get("timestamp")
    if (
        token
        and isinstance(sent_ms, int | float)
        and now.timestamp() * 1000 - sent_ms > REPLY_TOKEN_LIFE.total_seconds() * 1000
    ):
        return ""  # too old to be accepted: push instead
    return token


def handle_event(event: InboundEvent, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    payload = event.payload
    source = payload.get("source") or {}
    user_id = source.get("userId") if isinstance(source, dict) else None
    if source.get("type") != "user" or not isinstance(user_id, str) or not user_id:
        logger.info("LINE event %s from a %s: not answered", event.event_id, source.get("type"))
        return
    contact = services.contact_for(platform=Platform.LINE, external_id=user_id, now=now)
    if event.kind == "unfollow":
        services.record_unfollow(contact=contact, now=now)
        return
    if event.kind == "follow" or contact.profile_read_at is None:
        _read_profile(contact, now=now)
    turn = Turn(contact=contact, reply_token=_fresh_reply_token(payload, now), event=f"line/{event.kind}")
    with translation.override(contact.language):
        if event.kind == "follow":
            services.record_follow(contact=contact, now=now)
            turn.answer([m.greeting_message(center_name=localized(center_profile(), "name"))])
        elif event.kind == "postback":
            _on_postback(turn, (payload.get("postback") or {}).get("data", ""), now=now)
        elif event.kind == "message":
            _on_message(turn, payload.get("message") or {}, now=now)


def _read_profile(contact: ChatContact, *, now: datetime) -> None:
    try:
        profile = line_client().profile(user_id=contact.external_id)
    except TemporaryFailure as error:
        logger.info("LINE profile of %s not read now: %s", contact.external_id, error)
        return
    except LineRefused as error:
        # LINE will not tell (not a friend, say): keep what we know, and ask again only on a follow.
        logger.info("LINE profile of %s refused: %s", contact.external_id, error)
        services.record_profile(contact=contact, display_name=contact.display_name, language=contact.language, now=now)
        return
    services.record_profile(contact=contact, display_name=profile.display_name, language=profile.language, now=now)


# --- messages ---------------------------------------------------------------------------------------


def _on_message(turn: Turn, message: dict, *, now: datetime) -> None:
    kind = message.get("type")
    if kind == "text":
        _on_text(turn, str(message.get("text", ""))[:1000], now=now)
    elif kind == "image":
        _on_image(turn, str(message.get("id", "")), now=now)
    elif kind == "sticker":
        turn.answer([m.help_message()])
    else:
        detail = message.get("address") or message.get("fileName") or ""
        services.record_incoming_message(
            contact=turn.contact, reason=Conversation.Reason.MEDIA, kind=str(kind)[:20], text=str(detail)[:500], now=now
        )
        turn.answer([m.text_message(_("Thank you, we passed this on to our staff; they will answer here."))])


def _on_text(turn: Turn, text: str, *, now: datetime) -> None:
    command = intents.command_in(text)
    if command:
        _run(turn, command, now=now)
        return
    code = intents.link_code_in(text)
    if code:
        _link(turn, code, now=now)
        return
    waiting = selectors.waiting_conversation_of(turn.contact)
    if waiting is not None:
        services.record_incoming_message(contact=turn.contact, reason=Conversation.Reason.ASKED, text=text, now=now)
    if not text.strip():
        turn.answer([m.help_message()])
        return
    found = search_products(text, limit=SEARCH_RESULTS + 1)
    if found:
        turn.answer([_carousel(found, query=text)])
        return
    if waiting is not None or intents.is_question(text):
        if waiting is None:
            services.record_incoming_message(
                contact=turn.contact, reason=Conversation.Reason.UNANSWERED, text=text, now=now
            )
        turn.answer([m.text_message(_("We passed your message on to our staff; they will answer here soon."))])
        return
    turn.answer(
        [
            m.text_message(
                _("We found nothing for “%(query)s”. Try another word, or choose a category:")
                % {"query": m.clip(text, 60)},
                quick_replies=m.category_quick_replies(),
            )
        ]
    )


def _carousel(hits: list, *, query: str) -> dict:
    """The search's hits, in its order, as product bubbles (and "more" when there are more)."""
    more = len(hits) > SEARCH_RESULTS
    shown = hits[: SEARCH_RESULTS - 1] if more else hits
    default_ids = [hit.product.default_variant_id for hit in shown if hit.product.default_variant_id]
    variants = {
        variant.product_id: variant
        for variant in sellable_variants().filter(pk__in=default_ids).only("pk", "product_id", "price")
    }
    available = available_quantities(variant_ids=[variant.pk for variant in variants.values()])
    cards = m.product_cards([hit.product for hit in shown], variants=variants, available=available)
    return m.product_carousel(
        cards,
        alt_text=_("Products for “%(query)s”") % {"query": m.clip(query, 60)},
        more_url=m.search_results_url(query) if more else "",
    )


def _category(turn: Turn, code: str) -> None:
    category = Category.objects.filter(code=code).first()
    if category is None:
        turn.answer([m.text_message(_("Choose a category:"), quick_replies=m.category_quick_replies())])
        return
    products = selectors.products_in_category(code, limit=SEARCH_RESULTS + 1)
    if not products:
        turn.answer(
            [m.text_message(_("Nothing on sale in this category yet."), quick_replies=m.category_quick_replies())]
        )
        return
    more = len(products) > SEARCH_RESULTS
    shown = products[: SEARCH_RESULTS - 1] if more else products
    variants: dict[int, Variant] = {}
    for product in shown:
        sellable = list(product.variants.all())
        if sellable:
            variants[product.pk] = sellable[0]
    available = available_quantities(variant_ids=[variant.pk for variant in variants.values()])
    cards = m.product_cards(shown, variants=variants, available=available)
    more_url = m.absolute(reverse("storefront:category", args=[code])) if more else ""
    turn.answer([m.product_carousel(cards, alt_text=localized(category, "name"), more_url=more_url)])


def _on_image(turn: Turn, message_id: str, *, now: datetime) -> None:
    try:
        content = line_client().message_content(message_id=message_id)
    except (TemporaryFailure, LineRefused) as error:
        logger.warning("LINE photo %s not fetched: %s", message_id, error)
        content = b""
    answer = answer_for_image(turn.contact, content) if content else None
    if answer is not None:
        turn.answer([m.text_message(text) for text in answer[:5]])
        return
    photo = clean_photo(content) if content else None
    services.record_incoming_message(
        contact=turn.contact,
        reason=Conversation.Reason.MEDIA,
        kind="image",
        text="" if photo else _("(a photo we could not read)"),
        image_name=f"{message_id[:40] or 'photo'}.jpg",
        image_content=photo,
        now=now,
    )
    turn.answer([m.text_message(_("Thank you for the photo. Our staff will look at it and answer here."))])


def _link(turn: Turn, code: str, *, now: datetime) -> None:
    user = services.redeem_link_code(contact=turn.contact, code=code, now=now)
    if user is None:
        turn.answer([m.text_message(_("This code is not valid or has expired. Get a new one in the producer portal."))])
        return
    turn.answer(
        [
            m.text_message(
                _(
                    "Your LINE is now linked to the producer portal. You will hear here when your products sell, "
                    "when stock runs low, when your statement is ready and about the committee's decisions."
                )
            )
        ]
    )


# --- commands and postbacks ----------------------------------------------------------------------------


def _run(turn: Turn, command: str, *, now: datetime) -> None:
    if command == "cart":
        _show_cart(turn, now=now)
    elif command == "orders":
        turn.answer([m.orders_message(selectors.orders_of_contact(turn.contact))])
    elif command == "staff":
        services.record_incoming_message(
            contact=turn.contact, reason=Conversation.Reason.ASKED, text=_("(asked for a person)"), now=now
        )
        turn.answer(
            [m.text_message(_("Our staff will answer you here (every day 08:00–18:00). Please write your question."))]
        )
    elif command == "categories":
        turn.answer([m.text_message(_("Choose a category:"), quick_replies=m.category_quick_replies())])
    elif command == "stop":
        services.stop_marketing(contact=turn.contact)
        turn.answer(
            [
                m.text_message(
                    _(
                        "Done: we will send no more news or promotions to this chat. "
                        "Answers to your messages and news of your orders still come."
                    )
                )
            ]
        )
    else:
        turn.answer([m.help_message()])


def _show_cart(turn: Turn, *, now: datetime) -> None:
    cart = selectors.chat_cart(turn.contact)
    url = ""
    if cart.orderable:
        token = services.issue_checkout_link(contact=turn.contact, now=now)
        url = LinePlatform().checkout_url(token=token)
    turn.answer([m.cart_message(cart, checkout_url=url)])


def _number(values: dict[str, list[str]], name: str) -> int | None:
    try:
        return int(values.get(name, [""])[0])
    except ValueError:
        return None


def _on_postback(turn: Turn, data: str, *, now: datetime) -> None:
    values = parse_qs(str(data)[:300])
    action = values.get("action", [""])[0]
    if action == "add":
        variant_id = _number(values, "variant")
        change = services.add_to_cart(contact=turn.contact, variant_id=variant_id or 0)
        if not change.found:
            text = _("Sorry, this product is no longer on sale.")
        elif change.available == 0:
            text = _("Sorry, this product is sold out.")
        elif change.in_cart >= change.available:
            text = _("Added. Only %(count)s available: your cart has %(count)s.") % {"count": change.in_cart}
        else:
            text = _("Added to your cart (%(count)s of this item).") % {"count": change.in_cart}
        turn.answer([m.text_message(text, quick_replies=m.menu_quick_replies())])
    elif action == "remove":
        services.remove_from_cart(contact=turn.contact, variant_id=_number(values, "variant") or 0)
        _show_cart(turn, now=now)
    elif action == "clear":
        services.clear_cart(contact=turn.contact)
        turn.answer([m.text_message(_("Your cart is empty now."), quick_replies=m.menu_quick_replies())])
    elif action == "category":
        _category(turn, values.get("code", [""])[0][:20])
    elif action == "qr":
        _send_qr_again(turn, values.get("order", [""])[0][:20])
    elif action in intents.COMMANDS:
        _run(turn, action, now=now)
    else:
        logger.info("LINE postback not understood: %s", data[:100])
        turn.answer([m.help_message()])


def _send_qr_again(turn: Turn, number: str) -> None:
    order = next((o for o in selectors.orders_of_contact(turn.contact, limit=20) if o.number == number), None)
    if order is None or order.status != Order.Status.PENDING_PAYMENT:
        turn.answer([m.text_message(_("This order is not waiting for payment."), quick_replies=m.menu_quick_replies())])
        return
    payment = promptpay_payment_for(order)
    turn.answer(m.order_placed_messages(order, qr_url=qr_path(payment, image_format="png") if payment else "")[:5])
