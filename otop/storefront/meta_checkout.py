"""Meta's checkout URL: Facebook and Instagram shops send buyers to
`/checkout/meta/?products=<sku>%3A<qty>%2C…&coupon=<code>&cart_origin=facebook|instagram&utm_*=…`.

The visitor's cart becomes those variants and quantities (what cannot be had is said on the page in the
visitor's language and the rest is kept), the coupon waits at the checkout, and the order placed from it
carries channel `facebook` or `instagram` with the utm values kept beside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from otop.catalog.models import Variant
from otop.catalog.selectors import sellable_variants
from otop.channels.services import UTM_FIELDS
from otop.inventory.selectors import available_quantities
from otop.orders.coupons import normalize_code
from otop.orders.models import Order
from otop.storefront import cart

SESSION_KEY = "meta_checkout"
COUPON_KEY = "coupon"
MAX_ITEMS = 50
ORIGINS = {"facebook": Order.Channel.FACEBOOK, "instagram": Order.Channel.INSTAGRAM}


def _parse(value: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(sku, quantity) pairs in Meta's order (a SKU given twice adds up), and the entries that make no sense."""
    wanted: dict[str, int] = {}
    bad: list[str] = []
    for entry in [part.strip() for part in value.split(",") if part.strip()][:MAX_ITEMS]:
        sku, _sep, quantity = entry.rpartition(":")
        if not sku or not quantity.isdigit() or not 0 < int(quantity) <= cart.MAX_QUANTITY:
            bad.append(entry[:60])
            continue
        wanted[sku[:100]] = wanted.get(sku[:100], 0) + int(quantity)
    return list(wanted.items()), bad


def _name(variant: Variant) -> str:
    return str(variant)


@require_GET
def meta_checkout(request: HttpRequest) -> HttpResponse:
    wanted, bad = _parse(request.GET.get("products", ""))
    problems = [_("We could not read “%(entry)s” in the link.") % {"entry": entry} for entry in bad]
    skus = [sku for sku, _quantity in wanted]
    known = {v.sku: v for v in Variant.objects.filter(sku__in=skus).select_related("product")}
    sellable = set(sellable_variants().filter(sku__in=skus).values_list("sku", flat=True))
    available = available_quantities(variant_ids=[known[sku].pk for sku in sellable])
    cart.clear(request)
    for sku, quantity in wanted:
        variant = known.get(sku)
        if variant is None:
            problems.append(_("We could not find the product %(sku)s.") % {"sku": sku})
        elif sku not in sellable:
            problems.append(_("%(name)s is no longer on sale.") % {"name": _name(variant)})
        elif available[variant.pk] <= 0:
            problems.append(_("Sorry, %(name)s is sold out.") % {"name": _name(variant)})
        else:
            placed = cart.set_quantity(request, variant_id=variant.pk, quantity=quantity)
            if placed < quantity:
                problems.append(
                    _("Only %(count)s of %(name)s are left: your cart has %(count)s.")
                    % {"count": placed, "name": _name(variant)}
                )
    origin = request.GET.get("cart_origin", "")
    request.session[SESSION_KEY] = {
        "channel": ORIGINS.get(origin, Order.Channel.FACEBOOK),
        "cart_origin": origin[:20] or "facebook",
        "utm": {name: request.GET.get(name, "")[:100] for name in UTM_FIELDS if request.GET.get(name)},
    }
    coupon = normalize_code(request.GET.get("coupon", ""))
    if coupon:
        request.session[COUPON_KEY] = coupon
    for problem in problems:
        messages.warning(request, problem)
    return redirect("storefront:checkout")
