"""What the bot does with each Messenger message, in the worker: a person's first message is greeted once
with what we keep and why, how to stop news ("หยุด") and the privacy notice's address; "หยุด" (stop)
withdraws the consent to news and promotions in chats; a text is a product search (the site's
search) answered with a generic-template carousel (≤ 10 products: picture, name, price, "ดูสินค้า" to the
story page and "ซื้อเลย" to Meta's checkout link with the product in the cart); what it cannot answer,
and anything said while a person is on the case, goes to the staff inbox (/backoffice/line/).

Each event is claimed (queued → working) before it is worked on, so a retried delivery is answered once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from otop.catalog.selectors import sellable_variants
from otop.channels import intents, selectors, services, share
from otop.channels.line.messages import privacy_notice_url
from otop.channels.messenger.outbox import answer, text_message
from otop.channels.models import ChatContact, Conversation, InboundEvent, Platform
from otop.core.i18n import localized
from otop.core.money import format_baht
from otop.core.selectors import center_profile
from otop.inventory.selectors import available_quantities
from otop.search.selectors import search_products

logger = logging.getLogger("otop.channels.messenger")

CAROUSEL_MAX = 10  # Messenger's limit of generic-template elements
TITLE_MAX = 80


def process_events(*, event_ids: list[str], now: datetime | None = None) -> int:
    done = 0
    for event_id in event_ids:
        claimed = InboundEvent.objects.filter(
            platform=Platform.MESSENGER, event_id=event_id, status=InboundEvent.Status.QUEUED
        ).update(status=InboundEvent.Status.WORKING)
        if not claimed:
            continue
        event = InboundEvent.objects.get(platform=Platform.MESSENGER, event_id=event_id)
        try:
            handle_event(event, now=now)
        except Exception as error:  # noqa: BLE001 - one bad event must not stop the others
            logger.exception("Messenger event %s failed", event_id)
            InboundEvent.objects.filter(pk=event.pk).update(
                status=InboundEvent.Status.FAILED, error=str(error)[:2000], processed_at=timezone.now()
            )
        else:
            InboundEvent.objects.filter(pk=event.pk).update(
                status=InboundEvent.Status.DONE, processed_at=timezone.now()
            )
        done += 1
    return done


def handle_event(event: InboundEvent, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    sender = str((event.payload.get("sender") or {}).get("id") or "")[:100]
    if not sender:
        return
    contact, first = services.meet_contact(platform=Platform.MESSENGER, external_id=sender, now=now)
    if first:  # before anything else, once: what we keep and why, how to stop, the privacy notice
        with translation.override(contact.language):
            answer(contact, text_message(greeting_text()), event="messenger/greeting")
    if event.kind == "postback":
        postback = event.payload.get("postback") or {}
        said = str(postback.get("title") or postback.get("payload") or "")
    else:
        message = event.payload.get("message") or {}
        said = str(message.get("text") or "")
        if not said:  # a photo, a sticker, a file: a person looks at it
            services.record_incoming_message(
                contact=contact, reason=Conversation.Reason.MEDIA, text=_("[a photo or a file]"), now=now
            )
            with translation.override(contact.language):
                answer(
                    contact,
                    text_message(_("We passed your message on to our staff; they will answer here soon.")),
                    event="messenger/media",
                )
            return
    with translation.override(contact.language):
        _on_text(contact, said[:1000], now=now)


def greeting_text() -> str:
    """Said to a person's first message: what is kept and why, how to stop news, the privacy notice."""
    text = _(
        "Welcome to %(center)s! Type the name of a product to search our OTOP goods (for example ผ้าไหม). "
        "Your Messenger name, your messages and your orders are kept to answer you and deliver your orders; "
        "type หยุด (stop) at any time to receive no news or promotions."
    ) % {"center": localized(center_profile(), "name")}
    url = privacy_notice_url()
    if url:
        text += "\n" + _("How we handle your personal data: %(url)s") % {"url": url}
    return text


def _on_text(contact: ChatContact, said: str, *, now: datetime) -> None:
    if intents.command_in(said) == "stop":
        services.stop_marketing(contact=contact)
        answer(
            contact,
            text_message(
                _(
                    "Done: we will send no more news or promotions to this chat. "
                    "Answers to your messages and news of your orders still come."
                )
            ),
            event="messenger/stop",
        )
        return
    waiting = selectors.waiting_conversation_of(contact)
    if waiting is not None or intents.command_in(said) == "staff":
        services.record_incoming_message(contact=contact, reason=Conversation.Reason.ASKED, text=said, now=now)
        if waiting is None:
            answer(
                contact,
                text_message(_("We passed your message on to our staff; they will answer here soon.")),
                event="messenger/staff",
            )
            return
    found = search_products(said, limit=CAROUSEL_MAX) if said.strip() else []
    if found:
        answer(contact, carousel(found), event="messenger/search")
        return
    if waiting is None:
        services.record_incoming_message(contact=contact, reason=Conversation.Reason.UNANSWERED, text=said, now=now)
        answer(
            contact,
            text_message(_("We passed your message on to our staff; they will answer here soon.")),
            event="messenger/unanswered",
        )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def checkout_link(sku: str, quantity: int = 1) -> str:
    """Meta's checkout link for one item: the cart filled with it, the order counted as a facebook order."""
    query = urlencode(
        {"products": f"{sku}:{quantity}", "cart_origin": "facebook", "utm_source": "messenger", "utm_medium": "chat"},
        quote_via=quote,
        safe="",
    )
    return _absolute(reverse("storefront:meta-checkout")) + "?" + query


def carousel(hits: list) -> dict:
    """A generic-template carousel of the search's hits, in its order."""
    hits = hits[:CAROUSEL_MAX]
    default_ids = [hit.product.default_variant_id for hit in hits if hit.product.default_variant_id]
    variants = {
        v.product_id: v for v in sellable_variants().filter(pk__in=default_ids).only("pk", "sku", "price", "product_id")
    }
    available = available_quantities(variant_ids=[v.pk for v in variants.values()])
    elements = []
    for hit in hits:
        product = hit.product
        story = _absolute(reverse("storefront:story", kwargs={"code": product.code}))
        variant = variants.get(product.pk)
        price = variant.price if variant else hit.price
        subtitle = " · ".join(
            part
            for part in (format_baht(price) if price is not None else "", localized(product.producer, "name"))
            if part
        )
        buttons = [{"type": "web_url", "url": story, "title": _("View product")}]
        if variant is not None and available.get(variant.pk, 0) > 0:
            buttons.append({"type": "web_url", "url": checkout_link(variant.sku), "title": _("Buy now")})
        elements.append(
            {
                "title": localized(product, "name")[:TITLE_MAX],
                "subtitle": subtitle[:TITLE_MAX],
                "image_url": share.square_image_url(product),
                "default_action": {"type": "web_url", "url": story},
                "buttons": buttons,
            }
        )
    return {"attachment": {"type": "template", "payload": {"template_type": "generic", "elements": elements}}}
