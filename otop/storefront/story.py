"""The product's public page: the story behind its QR code, with prices and stock (`/p/<code>`, `/products/<code>/`)."""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.views.decorators.http import require_GET

from otop.catalog import selectors as catalog_selectors
from otop.catalog import services as catalog_services
from otop.catalog.models import Product
from otop.channels import share
from otop.core.i18n import localized
from otop.inventory.selectors import product_availability

STORY_CACHE_SECONDS = 300


def _can_preview(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm("catalog.view_product")


def _story_product(request: HttpRequest, code: str) -> Product:
    product = catalog_selectors.product_for_story(code=code, include_unlisted=_can_preview(request))
    if product is None:
        raise Http404
    return product


def _variant_in_stock(availability: dict, variant_id: int, product_in_stock: bool) -> bool:
    counts = availability.get("variants", {}).get(variant_id)
    if counts is None:
        return product_in_stock
    return bool(counts.get("online")) or bool(counts.get("in_store"))


def _json_ld(request: HttpRequest, product: Product, variants: list, availability: dict, url: str) -> str:
    in_stock = availability["online"] is None or availability["online"] > 0 or bool(availability["in_store"])
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": localized(product, "name"),
        "sku": product.sku,
        "description": localized(product, "description"),
        "category": localized(product.category, "name"),
        "brand": {"@type": "Brand", "name": localized(product.producer, "name")},
        "image": [share.square_image_url(product)],
        "url": url,
        "offers": [
            {
                "@type": "Offer",
                "sku": variant.sku,
                "price": f"{variant.price:.2f}",
                "priceCurrency": "THB",
                "availability": "https://schema.org/InStock"
                if _variant_in_stock(availability, variant.pk, in_stock)
                else "https://schema.org/OutOfStock",
                "url": url,
            }
            for variant in variants
        ],
    }
    if variants and variants[0].barcode:
        data["gtin13"] = variants[0].barcode
    # A story could contain "</script>"; escape what would end the element early.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def _render_story(request: HttpRequest, product: Product, *, from_shelf: bool = False) -> HttpResponse:
    """`from_shelf`: opened by scanning the shelf's QR code, so the visitor stands at the product: the
    shop's stock count (which may lag a sale or a refill) is not shown, least of all "out of stock"."""
    variants = list(product.variants.all())
    default = next((variant for variant in variants if variant.is_default), variants[0] if variants else None)
    availability = product_availability(product)
    canonical = request.build_absolute_uri(reverse("storefront:story", kwargs={"code": product.code}))
    context = {
        "product": product,
        "variants": variants,
        "default_variant": default,
        "availability": availability,
        "canonical_url": canonical,
        "json_ld": _json_ld(request, product, variants, availability, canonical),
        "share": share.share_links(canonical),
        "share_image": partial(share.product_card_url, product),
        "language": translation.get_language(),
        "stars": "★" * (product.otop_stars or 0),
        "from_shelf": from_shelf,
        "cache_seconds": STORY_CACHE_SECONDS,
        "cache_version": product.updated_at.timestamp(),
        # Callables: the template calls them (builds and runs the queries) only when a cached
        # fragment has to be rendered again.
        "photos": partial(catalog_selectors.photos_of, product),
        "components": partial(catalog_selectors.components_of, product) if product.is_basket else [],
        "from_producer": partial(catalog_selectors.more_from_producer, product),
        "from_district": partial(catalog_selectors.more_from_district, product),
    }
    return render(request, "storefront/story.html", context)


def _from_our_pages(request: HttpRequest) -> bool:
    """A camera opening a QR code sends no Referer; a click on our own pages (which may link here) does."""
    referer = request.headers.get("Referer", "")
    return bool(referer) and urlsplit(referer).netloc == request.get_host()


@require_GET
def qr_link(request: HttpRequest, code: str) -> HttpResponse:
    """The short link printed as a QR code: count the scan (a daily number, no visitor data), show the story.

    Phones set to English without a language choice on this site go to the English page.
    """
    product = _story_product(request, code)
    if translation.get_language() == "th" and not request.path.startswith("/en/"):
        preferred = translation.get_language_from_request(request, check_path=False)
        if preferred == "en":
            return redirect(translate_url(request.get_full_path(), "en"))
    if product.is_public and not _from_our_pages(request):
        catalog_services.record_qr_scan(product_id=product.pk)
    # A phone's camera sends no Referer: that visitor is at the shelf (a link from Facebook is not).
    return _render_story(request, product, from_shelf=not request.headers.get("Referer"))


@require_GET
def story(request: HttpRequest, code: str) -> HttpResponse:
    return _render_story(request, _story_product(request, code))
