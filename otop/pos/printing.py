"""Receipts on an ESC/POS network printer (python-escpos), 42 columns on 80 mm paper."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from otop.core import thaidates
from otop.core.money import format_baht
from otop.core.selectors import center_profile
from otop.payments.models import Payment
from otop.pos.models import Sale

COLUMNS = 42


def _two_columns(left: str, right: str) -> str:
    room = COLUMNS - len(right) - 1
    return f"{left[:room]:<{room}} {right}"


def receipt_text_lines(sale: Sale, *, language: str = "th") -> list[str]:
    """The abbreviated tax invoice (s.86/6) as plain lines: seller, tax ID, number, date, goods, VAT-inclusive total."""
    profile = center_profile()
    methods = dict(Payment.Method.choices)
    with translation.override(language):
        lines = [
            profile.legal_name_th or profile.name_th,
            _("Tax ID %(tax_id)s branch %(branch)s") % {"tax_id": profile.tax_id, "branch": profile.branch_code},
            _("Abbreviated tax invoice (VAT included)"),
            _("No. %(number)s") % {"number": sale.receipt_code},
            thaidates.format_datetime(sale.sold_at, language=language),
            "-" * COLUMNS,
        ]
        for line in sale.lines.all():
            lines.append(_two_columns(f"{line.quantity} x {line.name}", format_baht(line.total, symbol=False)))
            for option in line.modifiers:
                label = option.get("name") or option.get("code") or f"{option.get('percent')}%"
                lines.append(f"   + {label}")
        lines.append("-" * COLUMNS)
        if sale.bill_discount:
            lines.append(_two_columns(_("Discount"), "-" + format_baht(sale.bill_discount, symbol=False)))
        lines.append(_two_columns(pgettext("money", "Total"), format_baht(sale.total, symbol=False)))
        lines.append(_two_columns(_("VAT included"), format_baht(sale.vat, symbol=False)))
        for payment in sale.payments.all():
            lines.append(_two_columns(str(methods[payment.method]), format_baht(payment.amount, symbol=False)))
        if sale.change_due:
            lines.append(_two_columns(pgettext("money back", "Change"), format_baht(sale.change_due, symbol=False)))
        lines.append(_("Thank you"))
    return lines


def print_receipt(*, sale: Sale, host: str, port: int = 9100, timeout: float = 5) -> int:
    """Send the receipt to a network printer; return the number of bytes sent."""
    from escpos.printer import Network

    printer = Network(host, port=port, timeout=timeout)
    sent = 0
    original_raw = printer._raw

    def counting_raw(message: bytes) -> None:
        nonlocal sent
        sent += len(message)
        original_raw(message)

    printer._raw = counting_raw  # type: ignore[method-assign]
    printer.open()
    try:
        for text in receipt_text_lines(sale):
            printer.textln(text)
        printer.cut()
    finally:
        printer.close()
    return sent
