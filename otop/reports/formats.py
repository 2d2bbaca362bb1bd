"""Numbers as Thai readers expect them: baht with thousands separators, large sums in millions (ล้าน)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

MILLION = Decimal(1_000_000)


def compact_baht(amount: Decimal | int | None) -> str:
    """฿12,345 below a million, ฿1.25 ล้าน (฿1.25 M in English) from a million up."""
    amount = Decimal(amount or 0)
    if abs(amount) >= MILLION:
        millions = (amount / MILLION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return _("฿%(amount)s M") % {"amount": f"{millions:,}"}
    return f"฿{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:,.1f}%"
