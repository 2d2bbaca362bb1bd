"""LINE message objects (as the Messaging API documents them) for what the bot says: product carousels,
the cart, orders, order updates, greetings. Built in the current language (the caller overrides it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from otop.catalog.models import Category, ProductPhoto
from otop.channels.selectors import ChatCart
from otop.core.i18n import localized
from otop.core.money import format_baht
from otop.core.thaidates import format_date
from otop.orders.models import Order

# LINE's limits (Messaging API reference).
MAX_BUBBLES = 12
MAX_QUICK_REPLIES = 13
QUICK_REPLY_LABEL = 20
BUTTON_LABEL = 40
ALT_TEXT = 400
TEXT = 5000

GREEN = "#1B7F4B"
GREY = "#6B6B6B"
RED = "#B3261E"


def absolute(path_or_url: str) -> str:
    """An address LINE can open: our public address (SITE_URL) in front of a path."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + path_or_url


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_message(text: str, *, quick_replies: list[dict] | None = None) -> dict:
    message: dict = {"type": "text", "text": clip(text, TEXT)}
    if quick_replies:
        message["quickReply"] = {"items": quick_replies[:MAX_QUICK_REPLIES]}
    return message


def image_message(url: str) -> dict:
    return {"type": "image", "originalContentUrl": absolute(url), "previewImageUrl": absolute(url)}


def postback(label: str, data: dict[str, str | int], *, display_text: str = "") -> dict:
    action = {"type": "postback", "label": clip(label, BUTTON_LABEL), "data": urlencode(data)}
    if display_text:
        action["displayText"] = clip(display_text, 300)
    return action


def quick_postback(label: str, data: dict[str, str | int], *, display_text: str = "") -> dict:
    action = postback(clip(label, QUICK_REPLY_LABEL), data, display_text=display_text or label)
    return {"type": "action", "action": action}


def quick_message(label: str, text: str) -> dict:
    return {"type": "action", "action": {"type": "message", "label": clip(label, QUICK_REPLY_LABEL), "text": text}}


def menu_quick_replies() -> list[dict]:
    """The shortcuts offered under most answers."""
    return [
        quick_postback(_("Cart"), {"action": "cart"}),
        quick_postback(_("My orders"), {"action": "orders"}),
        quick_postback(_("Categories"), {"action": "categories"}),
        quick_postback(_("Talk to staff"), {"action": "staff"}),
    ]


def category_quick_replies() -> list[dict]:
    return [
        quick_postback(localized(category, "name"), {"action": "category", "code": category.code})
        for category in Category.objects.order_by("sort_order", "pk")[: MAX_QUICK_REPLIES - 1]
    ] + [quick_postback(_("Talk to staff"), {"action": "staff"})]


# --- products --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductCard:
    code: str
    name: str
    producer: str
    district: str
    price: Decimal | None
    available: int | None  # None: not sold online
    variant_id: int | None  # what "add to cart" adds
    photo_url: str


def _line_photo_urls(product_ids: list[int]) -> dict[int, str]:
    """Each product's first photo LINE can show (JPEG or PNG)."""
    urls: dict[int, str] = {}
    for photo in ProductPhoto.objects.filter(product_id__in=product_ids).order_by("product_id", "sort_order", "pk"):
        if photo.product_id not in urls and photo.image.name.lower().endswith((".jpg", ".jpeg", ".png")):
            urls[photo.product_id] = absolute(photo.image.url)
    return urls


def product_cards(products: list, *, variants: dict[int, object], available: dict[int, int]) -> list[ProductCard]:
    """Cards for products (with producer and district loaded); `variants` maps product id → the variant
    added to the cart, `available` variant id → units that can be sold now."""
    photos = _line_photo_urls([product.pk for product in products])
    cards = []
    for product in products:
        variant = variants.get(product.pk)
        producer = product.producer
        cards.append(
            ProductCard(
                code=product.code,
                name=localized(product, "name"),
                producer=localized(producer, "name") if producer else "",
                district=localized(producer.district, "name") if producer and producer.district_id else "",
                price=variant.price if variant else None,
                available=available.get(variant.pk) if variant else None,
                variant_id=variant.pk if variant else None,
                photo_url=photos.get(product.pk, ""),
            )
        )
    return cards


def _story_url(code: str) -> str:
    return absolute(reverse("storefront:story", args=[code]))


def product_bubble(card: ProductCard) -> dict:
    sold_out = not card.available
    body = [
        {"type": "text", "text": card.name, "weight": "bold", "size": "md", "wrap": True, "maxLines": 3},
        {
            "type": "text",
            "text": " · ".join(part for part in (card.producer, card.district) if part) or " ",
            "size": "xs",
            "color": GREY,
            "wrap": True,
            "maxLines": 2,
        },
        {
            "type": "box",
            "layout": "baseline",
            "margin": "md",
            "contents": [
                {
                    "type": "text",
                    "text": format_baht(card.price) if card.price is not None else "—",
                    "weight": "bold",
                    "size": "lg",
                    "color": GREEN,
                    "flex": 0,
                },
                {
                    "type": "text",
                    "text": _("Sold out") if sold_out else _("%(count)s in stock") % {"count": card.available},
                    "size": "xs",
                    "color": RED if sold_out else GREY,
                    "align": "end",
                },
            ],
        },
    ]
    buttons = [
        {
            "type": "button",
            "style": "secondary",
            "height": "sm",
            "action": {"type": "uri", "label": _("Read the story"), "uri": _story_url(card.code)},
        }
    ]
    if not sold_out and card.variant_id:
        buttons.insert(
            0,
            {
                "type": "button",
                "style": "primary",
                "color": GREEN,
                "height": "sm",
                "action": postback(
                    _("Add to cart"),
                    {"action": "add", "variant": card.variant_id},
                    display_text=_("Add %(name)s to the cart") % {"name": clip(card.name, 200)},
                ),
            },
        )
    bubble: dict = {
        "type": "bubble",
        "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons},
    }
    if card.photo_url:
        bubble["hero"] = {
            "type": "image",
            "url": card.photo_url,
            "size": "full",
            "aspectRatio": "4:3",
            "aspectMode": "cover",
            "action": {"type": "uri", "label": _("Read the story"), "uri": _story_url(card.code)},
        }
    return bubble


def more_bubble(*, label: str, url: str) -> dict:
    return {
        "type": "bubble",
        "size": "kilo",
        "body": {
            "type": "box",
            "layout": "vertical",
            "justifyContent": "center",
            "contents": [
                {
                    "type": "button",
                    "style": "link",
                    "action": {"type": "uri", "label": clip(label, BUTTON_LABEL), "uri": absolute(url)},
                }
            ],
        },
    }


def product_carousel(cards: list[ProductCard], *, alt_text: str, more_url: str = "") -> dict:
    """A carousel of at most 12 bubbles: the products in the order given, then "more" when there are more."""
    room = MAX_BUBBLES - (1 if more_url else 0)
    bubbles = [product_bubble(card) for card in cards[:room]]
    if more_url:
        bubbles.append(more_bubble(label=_("See all results on the website"), url=more_url))
    return {
        "type": "flex",
        "altText": clip(alt_text, ALT_TEXT),
        "contents": {"type": "carousel", "contents": bubbles},
        "quickReply": {"items": menu_quick_replies()},
    }


def search_results_url(query: str) -> str:
    return reverse("storefront:search") + "?" + urlencode({"q": query})


# --- the cart ---------------------------------------------------------------------------------------


def cart_message(cart: ChatCart, *, checkout_url: str) -> dict:
    if not cart.items:
        return text_message(
            _("Your cart is empty. Type the name of a product to search, or choose a category."),
            quick_replies=category_quick_replies(),
        )
    rows: list[dict] = []
    for item in cart.items:
        name = localized(item.variant.product, "name")
        if item.variant.name_th:
            name = f"{name} {localized(item.variant, 'name')}"
        note = ""
        if item.quantity == 0:
            note = _("sold out")
        elif item.is_capped:
            note = _("only %(count)s left") % {"count": item.available}
        rows.append(
            {
                "type": "box",
                "layout": "horizontal",
                "spacing": "sm",
                "contents": [
                    {
                        "type": "box",
                        "layout": "vertical",
                        "flex": 5,
                        "contents": [
                            {"type": "text", "text": name, "size": "sm", "wrap": True, "maxLines": 2},
                            {
                                "type": "text",
                                "text": f"× {item.quantity}  {format_baht(item.line_total)}"
                                + (f"  ({note})" if note else ""),
                                "size": "xs",
                                "color": RED if note else GREY,
                            },
                        ],
                    },
                    {
                        "type": "button",
                        "style": "link",
                        "height": "sm",
                        "flex": 2,
                        "action": postback(
                            _("Remove"),
                            {"action": "remove", "variant": item.variant.pk},
                            display_text=_("Remove %(name)s") % {"name": clip(name, 200)},
                        ),
                    },
                ],
            }
        )
    body = [
        {"type": "text", "text": _("Your cart"), "weight": "bold", "size": "lg"},
        {"type": "separator", "margin": "md"},
        *rows,
        {"type": "separator", "margin": "md"},
        {
            "type": "box",
            "layout": "baseline",
            "contents": [
                {"type": "text", "text": _("Goods"), "size": "sm", "color": GREY},
                {"type": "text", "text": format_baht(cart.subtotal), "size": "md", "weight": "bold", "align": "end"},
            ],
        },
        {
            "type": "text",
            "text": _("Delivery is added at checkout; pickup at the center is free."),
            "size": "xxs",
            "color": GREY,
            "wrap": True,
        },
    ]
    footer = []
    if cart.orderable:
        footer.append(
            {
                "type": "button",
                "style": "primary",
                "color": GREEN,
                "action": {"type": "uri", "label": _("Check out and pay"), "uri": checkout_url},
            }
        )
    footer.append(
        {
            "type": "button",
            "style": "link",
            "height": "sm",
            "action": postback(_("Empty the cart"), {"action": "clear"}),
        }
    )
    return {
        "type": "flex",
        "altText": clip(
            _("Your cart: %(count)s items, %(amount)s") % {"count": cart.count, "amount": format_baht(cart.subtotal)},
            ALT_TEXT,
        ),
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer},
        },
        "quickReply": {"items": menu_quick_replies()},
    }


# --- orders ---------------------------------------------------------------------------------------------


def order_summary(order: Order) -> str:
    lines = [
        _("Order %(number)s") % {"number": order.number},
        *[
            f"• {line.name_en if order.language == 'en' and line.name_en else line.name_th} × {line.quantity}"
            f"  {format_baht(line.line_total)}"
            for line in order.lines.all()
        ],
    ]
    if order.delivery_fee:
        lines.append(_("Delivery: %(amount)s") % {"amount": format_baht(order.delivery_fee)})
    lines.append(_("Total: %(amount)s") % {"amount": format_baht(order.total)})
    return "\n".join(lines)


def order_placed_messages(order: Order, *, qr_url: str) -> list[dict]:
    parts = [_("Thank you! Your order is placed."), order_summary(order)]
    if order.cash_on_delivery:
        parts.append(
            _(
                "Cash on delivery (เก็บเงินปลายทาง): nothing to pay now. Please have %(amount)s in cash ready "
                "for the courier when the parcel arrives; we will tell you here when it is on its way."
            )
            % {"amount": format_baht(order.total)}
        )
    elif order.expires_at:
        deadline = timezone.localtime(order.expires_at)
        parts.append(
            _(
                "Scan the PromptPay QR below with your banking app: the amount is filled in. "
                "Please pay by %(time)s on %(date)s; we will tell you here when the payment arrives."
            )
            % {"time": deadline.strftime("%H:%M"), "date": format_date(deadline, long=True)}
        )
    messages = [text_message("\n\n".join(parts))]
    if qr_url:
        messages.append(image_message(qr_url))
    return messages


STATUS_TEXT = {
    Order.Status.PAID: lambda: _("We received your payment. Thank you! We are preparing your order."),
    Order.Status.PACKED: lambda: _("Your order is packed."),
    Order.Status.SHIPPED: lambda: _("Your order is on its way."),
    Order.Status.READY_FOR_PICKUP: lambda: _(
        "Your order is ready for pickup at the center (open every day 08:00–18:00)."
    ),
    Order.Status.CANCELLED: lambda: _("Your order was cancelled."),
    Order.Status.REFUNDED: lambda: _("Your order was refunded."),
}


def order_status_message(order: Order, *, to_status: str, note: str = "") -> dict:
    parts = [_("Order %(number)s") % {"number": order.number}, STATUS_TEXT[to_status]()]
    if note.strip():
        label = _("Tracking") if to_status == Order.Status.SHIPPED else pgettext("staff note", "Note")
        parts.append(f"{label}: {note.strip()}")
    return text_message("\n".join(parts), quick_replies=menu_quick_replies())


def orders_message(orders: list[Order]) -> dict:
    if not orders:
        return text_message(
            _("You have not ordered from this chat yet. Type the name of a product to search."),
            quick_replies=menu_quick_replies(),
        )
    rows: list[dict] = [{"type": "text", "text": _("Your recent orders"), "weight": "bold", "size": "lg"}]
    for order in orders:
        rows.append({"type": "separator", "margin": "md"})
        rows.append(
            {
                "type": "box",
                "layout": "vertical",
                "contents": [
                    {"type": "text", "text": order.number, "weight": "bold", "size": "sm"},
                    {
                        "type": "text",
                        "text": f"{format_date(order.placed_at)} · {format_baht(order.total)}",
                        "size": "xs",
                        "color": GREY,
                    },
                    {
                        "type": "text",
                        "text": str(order.get_status_display()),
                        "size": "sm",
                        "color": RED if order.status == Order.Status.PENDING_PAYMENT else GREEN,
                    },
                ],
            }
        )
        if order.status == Order.Status.PENDING_PAYMENT:
            rows.append(
                {
                    "type": "button",
                    "style": "link",
                    "height": "sm",
                    "action": postback(_("Send the QR again"), {"action": "qr", "order": order.number}),
                }
            )
    return {
        "type": "flex",
        "altText": _("Your recent orders"),
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": rows},
        },
        "quickReply": {"items": menu_quick_replies()},
    }


# --- words ------------------------------------------------------------------------------------------


def privacy_notice_url() -> str:
    """The privacy notice's address once the site has one (the privacy app's `privacy:notice`)."""
    try:
        return absolute(reverse("privacy:notice"))
    except NoReverseMatch:
        return ""


def greeting_message(*, center_name: str) -> dict:
    text = render_to_string(
        "channels/line/greeting.txt", {"center_name": center_name, "privacy_url": privacy_notice_url()}
    ).strip()
    return text_message(text, quick_replies=category_quick_replies())


def help_message() -> dict:
    return text_message(
        _(
            "Type the name of a product to search (for example ผ้าไหม). "
            "“Cart” shows your cart, “My orders” your orders, and “Talk to staff” brings a person from the center."
        ),
        quick_replies=menu_quick_replies(),
    )
