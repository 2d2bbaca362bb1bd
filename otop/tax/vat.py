"""VAT arithmetic, in one place: shelf prices include VAT; the VAT of a document is computed once from its
VAT-inclusive taxable total and rounded to the satang by core.money's one rule; exempt goods (s.81) stay apart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from otop.core.money import ZERO, to_satang


@dataclass(frozen=True)
class Line:
    """A line as sold: its VAT-inclusive total (after its own discount) and whether it is exempt."""

    total: Decimal
    vat_exempt: bool = False


@dataclass(frozen=True)
class VatSplit:
    """The parts of a document: total = taxable_gross + exempt, taxable_gross = net + vat, exactly."""

    total: Decimal
    discount: Decimal
    taxable_gross: Decimal
    exempt: Decimal
    net: Decimal
    vat: Decimal
    rate: Decimal


def vat_of_inclusive(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT part of a VAT-inclusive amount at a rate (0.07 for 7 %), to the satang."""
    return to_satang(Decimal(gross) * rate / (1 + rate))


def split(lines: Iterable[Line], *, rate: Decimal, discount: Decimal = ZERO) -> VatSplit:
    """Split a document into net, VAT and exempt parts.

    A bill discount is shared between the taxable and the exempt goods in proportion to their value (the
    taxable share rounded to the satang, the exempt share the rest), so the parts always add up.
    """
    lines = list(lines)
    taxable = sum((line.total for line in lines if not line.vat_exempt), ZERO)
    exempt = sum((line.total for line in lines if line.vat_exempt), ZERO)
    gross = taxable + exempt
    discount = to_satang(discount)
    if discount < 0 or discount > gross:
        raise ValueError("a discount is between zero and the goods' value")
    taxable_discount = to_satang(discount * taxable / gross) if gross else ZERO
    taxable_gross = taxable - taxable_discount
    exempt_after = exempt - (discount - taxable_discount)
    vat = vat_of_inclusive(taxable_gross, rate)
    return VatSplit(
        total=taxable_gross + exempt_after,
        discount=discount,
        taxable_gross=taxable_gross,
        exempt=exempt_after,
        net=taxable_gross - vat,
        vat=vat,
        rate=rate,
    )
