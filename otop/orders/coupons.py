"""Coupons: whether a code applies to an order's goods now, and how much it takes off each line.

`quote_coupon` reads (the checkout page shows its answer); `place_order` asks it again and, in the order's
transaction, locks the coupon row and counts its uses once more, so a usage limit holds however many
checkouts use the same code at once. The discount is split over the lines it applies to in proportion to
their totals, each share rounded to the satang at its running total (the shares add up exactly), so a
producer's statement can tell the discount on each of its lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from otop.catalog.models import Variant
from otop.core import throttle
from otop.core.errors import DomainError, TooManyTries
from otop.core.money import ZERO, to_satang
from otop.core.thaidates import format_datetime
from otop.core.validators import normalize_thai_phone
from otop.inventory.services.sales import split_price
from otop.orders.models import Coupon, CouponUse, Order

CODE_MAX = 30


class InvalidCoupon(DomainError):
    code = "invalid_coupon"


@dataclass(frozen=True)
class CouponQuote:
    coupon: Coupon
    discount: Decimal
    # One share per line given, in the same order (0.00 for the lines the coupon does not cover).
    line_discounts: list[Decimal]


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()[:CODE_MAX]


# Guessing codes: a client (its address) may be refused this many different codes in the window; then no
# code of theirs is checked until the window ends. Codes that apply, and the same wrong code again (the
# checkout page asks again as the address changes), do not count.
WRONG_CODES_PER_CLIENT = throttle.Rate(count=10, seconds=15 * 60)
WRONG_CODES_SCOPE = "orders.coupon.wrong"


def refuse_if_guessing(client: str) -> None:
    """TooManyTries (on the field "coupon") when this client was refused too many codes just now."""
    verdict = throttle.over(WRONG_CODES_SCOPE, client, WRONG_CODES_PER_CLIENT)
    if verdict is not None:
        minutes = -(-verdict.retry_after // 60)
        message = _(
            "Too many coupon codes that do not apply were tried from your connection. "
            "Please wait %(minutes)s minutes and try again."
        ) % {"minutes": minutes}
        raise TooManyTries(message, retry_after=verdict.retry_after, fields={"coupon": [message]})


@contextmanager
def client_tries(client: str, code: str) -> Iterator[None]:
    """Around anything that checks a customer's code (a quote, placing an order): refused beforehand when
    the client is guessing; a refusal of the code (an error on the field "coupon") counts as one wrong code."""
    code = normalize_code(code)
    if not code:
        yield
        return
    refuse_if_guessing(client)
    try:
        yield
    except DomainError as error:
        if "coupon" in error.fields or isinstance(error, InvalidCoupon):
            throttle.hit_once(WRONG_CODES_SCOPE, client, code, WRONG_CODES_PER_CLIENT)
        raise


def _counted_uses(coupon: Coupon):
    """Uses that count against the limits: those of orders that were not cancelled."""
    return CouponUse.objects.filter(coupon=coupon).exclude(order__status=Order.Status.CANCELLED)


def check_limits(coupon: Coupon, *, phone: str) -> None:
    if coupon.max_uses is not None and _counted_uses(coupon).count() >= coupon.max_uses:
        raise InvalidCoupon(_("Coupon %(code)s has been used up.") % {"code": coupon.code})
    if phone and coupon.max_uses_per_phone is not None:
        phone = normalize_thai_phone(phone)
        if _counted_uses(coupon).filter(phone=phone).count() >= coupon.max_uses_per_phone:
            raise InvalidCoupon(_("Coupon %(code)s was already used with this phone number.") % {"code": coupon.code})


def _covers(coupon: Coupon, variant: Variant, category_ids: set[int], product_ids: set[int]) -> bool:
    if not category_ids and not product_ids:
        return True
    return variant.product.category_id in category_ids or variant.product_id in product_ids


def quote_coupon(
    *, code: str, lines: list[tuple[Variant, Decimal]], phone: str = "", now: datetime | None = None
) -> CouponQuote:
    """The discount a code gives on these lines (variant, line total) now; InvalidCoupon says why not."""
    now = now or timezone.now()
    code = normalize_code(code)
    coupon = Coupon.objects.filter(code=code, is_active=True).first() if code else None
    if coupon is None:
        raise InvalidCoupon(_("There is no coupon %(code)s.") % {"code": code})
    if now < coupon.starts_at:
        raise InvalidCoupon(
            _("Coupon %(code)s works from %(date)s.") % {"code": code, "date": format_datetime(coupon.starts_at)}
        )
    if now >= coupon.ends_at:
        raise InvalidCoupon(_("Coupon %(code)s has expired.") % {"code": code})
    goods = sum((total for _variant, total in lines), ZERO)
    if goods < coupon.min_spend:
        raise InvalidCoupon(
            _("Coupon %(code)s needs goods of at least %(amount)s baht.")
            % {"code": code, "amount": f"{coupon.min_spend:,.2f}"}
        )
    category_ids = set(coupon.categories.values_list("pk", flat=True))
    product_ids = set(coupon.products.values_list("pk", flat=True))
    covered = [_covers(coupon, variant, category_ids, product_ids) for variant, _total in lines]
    base = sum((total for (_variant, total), yes in zip(lines, covered, strict=True) if yes), ZERO)
    if base <= 0:
        raise InvalidCoupon(_("Coupon %(code)s does not apply to these products.") % {"code": code})
    check_limits(coupon, phone=phone)
    if coupon.kind == Coupon.Kind.PERCENT:
        discount = to_satang(base * coupon.value / Decimal(100))
    else:
        discount = min(coupon.value, base)
    shares = iter(split_price(discount, [total for (_variant, total), yes in zip(lines, covered, strict=True) if yes]))
    line_discounts = [next(shares) if yes else ZERO for yes in covered]
    return CouponQuote(coupon=coupon, discount=discount, line_discounts=line_discounts)
