"""Share cards: the 1200×630 pictures (`og:image`) that Facebook, LINE and others show when a product,
category or the home page is shared — drawn by us (photo, Thai name, price, the center's name) and kept.

The addresses carry a version (the product's edit time and the center's name), so a changed product gets
a new picture and an unchanged one is drawn once. `*_card_url` build them without a query, for the pages.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from otop.catalog.models import Category, Product, ProductPhoto
from otop.channels.feeds import images
from otop.channels.feeds.views import jpeg_response
from otop.core.selectors import center_profile

CARD_WIDTH, CARD_HEIGHT = images.CARD_SIZE


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _product_version(product: Product) -> str:
    return images.version_of(product.updated_at.isoformat(), center_profile().name_th)


def product_card_url(product: Product) -> str:
    return _absolute(
        reverse("channels:share-product", kwargs={"code": product.code, "version": _product_version(product)})
    )


def _category_version(category: Category) -> str:
    return images.version_of(category.name_th, center_profile().name_th)


def category_card_url(category: Category) -> str:
    return _absolute(
        reverse("channels:share-category", kwargs={"code": category.code, "version": _category_version(category)})
    )


def home_card_url() -> str:
    return _absolute(reverse("channels:share-home", kwargs={"version": images.version_of(center_profile().name_th)}))


@require_GET
def product_card(request: HttpRequest, code: str, version: str) -> HttpResponse:
    product = Product.objects.filter(code=code, status=Product.Status.LISTED).first()
    if product is None:
        raise Http404
    current = _product_version(product)
    name = f"share/products/{product.code}-{current}.jpg"

    def draw() -> bytes:
        photo = ProductPhoto.objects.filter(product=product).order_by("sort_order", "id").first()
        variant = product.variants.filter(is_active=True).order_by("-is_default", "sort_order", "id").first()
        text = images.CardText(
            title=product.name_th, price=variant.price if variant else None, center=center_profile().name_th
        )
        return images.share_card(text=text, photo_file=photo.image if photo else None)

    images.stored_image(name, draw)
    return jpeg_response(request, name, current)


@require_GET
def category_card(request: HttpRequest, code: str, version: str) -> HttpResponse:
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Http404
    current = _category_version(category)
    name = f"share/categories/{category.code}-{current}.jpg"
    text = images.CardText(title=category.name_th, price=None, center=center_profile().name_th, subtitle="OTOP")
    images.stored_image(name, lambda: images.share_card(text=text))
    return jpeg_response(request, name, current)


@require_GET
def home_card(request: HttpRequest, version: str) -> HttpResponse:
    profile = center_profile()
    current = images.version_of(profile.name_th)
    name = f"share/home-{current}.jpg"
    text = images.CardText(title=profile.name_th, price=None, center=profile.name_en, subtitle="")
    images.stored_image(name, lambda: images.share_card(text=text))
    return jpeg_response(request, name, current)


def square_image_url(product: Product) -> str:
    """The product's square picture (the feeds' rendition of its first photo, or drawn when it has none)."""
    version = images.version_of(product.updated_at.isoformat())
    return _absolute(reverse("channels:feed-image", kwargs={"code": product.code, "index": 0, "version": version}))


def share_links(url: str) -> dict[str, str]:
    """Plain links that open LINE's and Facebook's share pages (no script of theirs on our pages)."""
    quoted = quote(url, safe="")
    return {
        "line": f"https://social-plugins.line.me/lineit/share?url={quoted}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quoted}",
    }
