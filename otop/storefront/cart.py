"""The shopping cart: in the session for visitors, in the account (orders' cart services) when signed in.

Quantities are capped by what can still be sold online (inventory.available_quantities).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest

from otop.catalog.models import Variant
from otop.catalog.selectors import attach_card_photos, sellable_variants
from otop.core.errors import TooManyTries
from otop.core.money import ZERO, line_total
from otop.inventory.selectors import available_quantities
from otop.orders import selectors as order_selectors
from otop.orders import services as order_services
from otop.orders.coupons import CouponQuote, InvalidCoupon, client_tries, quote_coupon

SESSION_KEY = "cart"
MAX_QUANTITY = 99


@dataclass(frozen=True)
class CartItem:
    variant: Variant
    quantity: int
    available: int

    @property
    def line_total(self) -> Decimal:
        return line_total(self.variant.price, self.quantity)


@dataclass(frozen=True)
class CartView:
    items: list[CartItem]

    @property
    def subtotal(self) -> Decimal:
        return sum((item.line_total for item in self.items), ZERO)

    @property
    def count(self) -> int:
        return sum(item.quantity for item in self.items)


def _signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated


def quantities(request: HttpRequest) -> dict[int, int]:
    """variant id → quantity of the current visitor's cart."""
    if _signed_in(request):
        session_cart = request.session.pop(SESSION_KEY, None)
        if session_cart:
            # Signed in with things already in the cart: keep them in the account.
            for variant_id, quantity in session_cart.items():
                _save_line(request, int(variant_id), int(quantity), add=True)
        return order_selectors.cart_quantities(user=request.user)
    return {int(k): int(v) for k, v in request.session.get(SESSION_KEY, {}).items()}


def line_count(request: HttpRequest) -> int:
    """How many different items the cart holds (the header shows it): no query for visitors."""
    in_session = {int(k) for k in request.session.get(SESSION_KEY, {})}
    if _signed_in(request):
        return len(in_session | set(order_selectors.cart_quantities(user=request.user)))
    return len(in_session)


def _save_line(request: HttpRequest, variant_id: int, quantity: int, *, add: bool) -> None:
    if _signed_in(request):
        order_services.set_cart_quantity(user=request.user, variant_id=variant_id, quantity=quantity, add=add)
        return
    cart = dict(request.session.get(SESSION_KEY, {}))
    key = str(variant_id)
    new = (int(cart.get(key, 0)) if add else 0) + quantity
    if new <= 0:
        cart.pop(key, None)
    else:
        cart[key] = new
    request.session[SESSION_KEY] = cart


def _sellable_variant(variant_id: int) -> Variant | None:
    return sellable_variants().filter(pk=variant_id).select_related("product").first()


def add(request: HttpRequest, *, variant_id: int, quantity: int) -> tuple[int, int]:
    """Add units to the cart, capped by what is available; returns (quantity now in cart, available)."""
    if _sellable_variant(variant_id) is None or quantity <= 0:
        return 0, 0
    current = quantities(request).get(variant_id, 0)
    available = available_quantities(variant_ids=[variant_id])[variant_id]
    target = max(0, min(current + quantity, available, MAX_QUANTITY))
    _save_line(request, variant_id, target, add=False)
    return target, available


def set_quantity(request: HttpRequest, *, variant_id: int, quantity: int) -> int:
    """Set a line's quantity (0 removes it), capped by what is available."""
    available = available_quantities(variant_ids=[variant_id])[variant_id]
    target = max(0, min(quantity, available, MAX_QUANTITY))
    _save_line(request, variant_id, target, add=False)
    return target


def clear(request: HttpRequest) -> None:
    if _signed_in(request):
        order_services.clear_cart(user=request.user)
    request.session.pop(SESSION_KEY, None)


def view(request: HttpRequest) -> CartView:
    """The cart with its products and what is available now (lines no longer on sale are dropped)."""
    wanted = quantities(request)
    if not wanted:
        return CartView(items=[])
    variants = {v.pk: v for v in sellable_variants().filter(pk__in=wanted).select_related("product__category")}
    attach_card_photos([variant.product for variant in variants.values()])
    available = available_quantities(variant_ids=list(variants))
    items = [
        CartItem(variant=variants[pk], quantity=min(quantity, available[pk]), available=available[pk])
        for pk, quantity in wanted.items()
        if pk in variants
    ]
    return CartView(items=items)


def coupon_quote(current: CartView, code: str, *, client: str, phone: str = "") -> tuple[CouponQuote | None, str]:
    """The coupon's discount on this cart, or the reason it does not apply (no code: neither). `client`
    (core.throttle.client_address) is refused for a while after too many wrong codes (coupons.client_tries)."""
    if not code.strip() or not current.items:
        return None, ""
    try:
        with client_tries(client, code):
            return quote_coupon(code=code, lines=[(i.variant, i.line_total) for i in current.items], phone=phone), ""
    except (InvalidCoupon, TooManyTries) as error:
        return None, error.message
