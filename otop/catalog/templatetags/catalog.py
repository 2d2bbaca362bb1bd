from __future__ import annotations

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from otop.catalog.models import Product, ProductPhoto
from otop.catalog.renditions import picture_for, picture_of_photo, placeholder_picture
from otop.catalog.services import sanitize_story

register = template.Library()

# Cards in a phone's first screen (two a row): loaded at once, not lazily.
EAGER_CARDS = 2


@register.filter
def rich_text(value: str) -> SafeString:
    """Show a story: sanitized HTML as it is, plain text as paragraphs."""
    value = value or ""
    if "<" in value:
        return mark_safe(sanitize_story(value))  # noqa: S308 - cleaned by nh3 just above
    return mark_safe(linebreaks(value, autoescape=True))  # noqa: S308 - escaped by linebreaks


@register.inclusion_tag("catalog/_picture.html")
def product_picture(
    product: Product,
    sizes: str = "(max-width: 600px) 50vw, 240px",
    lazy: bool = True,
    css: str = "",
    alt: str = "",
    position: int = 0,
):
    """A product's photo as <picture> (WebP sources, JPEG fallback, 4:3 box), or its category's placeholder.

    `lazy=False` for a picture in the first screen (the story page's photo, the first cards); `alt` stays
    empty where the product's name is next to the picture (cards), so a screen reader does not say it twice."""
    if position:  # the place of a card in its grid: the first row loads at once, the rest when scrolled to
        lazy = position > EAGER_CARDS
    return {"picture": picture_for(product, alt=alt), "sizes": sizes, "lazy": lazy, "css": css}


@register.inclusion_tag("catalog/_picture.html")
def photo_picture(
    photo: ProductPhoto, sizes: str = "(max-width: 640px) 100vw, 640px", lazy: bool = True, alt: str = ""
):
    """One given photo of a product (the story page's gallery) as <picture>."""
    return {"picture": picture_of_photo(photo, alt=alt), "sizes": sizes, "lazy": lazy, "css": ""}


@register.inclusion_tag("catalog/_picture.html")
def category_placeholder(category_code: str, css: str = ""):
    """The drawn placeholder of a category (an application or product with no photo yet)."""
    return {"picture": placeholder_picture(category_code), "sizes": "", "lazy": False, "css": css}
