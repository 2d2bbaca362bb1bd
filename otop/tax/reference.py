"""The VAT rate in force, put back after every migrate and test-database flush (see core.reference)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

# Reduced from 10 % to 7 % by royal decree from 1 April 1999 and renewed by decree since.
SEVEN_PERCENT_FROM = date(1999, 4, 1)


def ensure_reference_data(apps: Any) -> None:
    VatRate = apps.get_model("tax", "VatRate")  # noqa: N806
    if VatRate.objects.exists():
        return
    VatRate.objects.create(valid_from=SEVEN_PERCENT_FROM, rate=Decimal("0.0700"), note="พระราชกฤษฎีกา 7%")
