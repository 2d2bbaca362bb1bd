"""Issuing, crediting and cancelling tax documents with gap-free numbers.

Callers (the till, orders) pass what was sold; this app keeps the numbering, the VAT arithmetic (tax.vat)
and a copy of everything printed. Each number is taken under a row lock on its series inside the caller's
transaction: a rolled-back sale gives its number back, so a series never has a hole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from otop.accounts.models import User
from otop.core.money import ZERO, to_satang
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.core.thaidates import buddhist_year
from otop.core.validators import thai_tax_id_is_valid
from otop.tax import vat
from otop.tax.errors import DocumentCancelled, InvalidTaxDocument, NoVatRate
from otop.tax.models import (
    DocumentKind,
    DocumentSeries,
    InvoiceRequest,
    TaxDocument,
    TaxDocumentLine,
    VatExemptProduct,
    VatRate,
)

# The period of a series whose numbers a till gives itself (its receipt series): they never restart.
TILL_NUMBERED = "till"

PREFIXES = {
    DocumentKind.ABBREVIATED: "AB",
    DocumentKind.FULL: "TI",
    DocumentKind.CREDIT_NOTE: "CN",
    DocumentKind.RECEIPT: "RC",
}


@dataclass(frozen=True)
class SoldLine:
    """A line as sold, VAT included. `product_id` lets the service look up a VAT exemption."""

    name: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    product_id: int | None = None
    vat_exempt: bool = False


@dataclass(frozen=True)
class Buyer:
    """Who a full tax invoice is made out to; tax ID and branch for a VAT-registered buyer."""

    name: str
    address: str
    tax_id: str = ""
    branch: str = ""  # "00000" is the head office; empty for a person

    def cleaned(self) -> Buyer:
        """Return the buyer checked for a full tax invoice, or raise InvalidTaxDocument."""
        name, address = self.name.strip(), self.address.strip()
        tax_id = "".join(ch for ch in self.tax_id if ch.isdigit()) if self.tax_id.strip() else ""
        branch = self.branch.strip()
        errors: dict[str, list[str]] = {}
        if not name:
            errors["buyer_name"] = [_("Give the buyer's name.")]
        if not address:
            errors["buyer_address"] = [_("Give the buyer's address.")]
        if self.tax_id.strip() and not thai_tax_id_is_valid(tax_id):
            errors["buyer_tax_id"] = [_("A tax ID has 13 digits and a valid check digit.")]
        if branch and not (branch.isdigit() and len(branch) <= 5):
            errors["buyer_branch"] = [_("A branch number has up to 5 digits; 00000 is the head office.")]
        if branch and not tax_id:
            errors["buyer_tax_id"] = [_("A branch goes with the buyer's tax ID.")]
        if errors:
            raise InvalidTaxDocument(_("Check the buyer's details."), fields=errors)
        if tax_id and not branch:
            branch = "00000"
        return Buyer(name=name[:200], address=address, tax_id=tax_id, branch=branch.zfill(5) if branch else "")


# --- rates and exemptions --------------------------------------------------------------------


def vat_rate_on(day: date) -> Decimal:
    """The VAT rate valid on a day (rates are data: a decree has changed them before)."""
    rate = (
        VatRate.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
        .order_by("-valid_from")
        .first()
    )
    if rate is None:
        raise NoVatRate(_("No VAT rate is set for %(day)s.") % {"day": day.isoformat()})
    return rate.rate


def exempt_product_ids(product_ids: Iterable[int]) -> set[int]:
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return set()
    return set(VatExemptProduct.objects.filter(product_id__in=ids).values_list("product_id", flat=True))


# --- numbers -------------------------------------------------------------------------------


def numbering_period(when: datetime) -> str:
    """The period a number belongs to: the Buddhist-era year ("2569"), or year and month ("2569-12")."""
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    year = str(buddhist_year(local.year))
    if getattr(settings, "TAX_NUMBERING_PERIOD", "year") == "month":
        return f"{year}-{local.month:02d}"
    return year


def _take_number(*, kind: str, register_code: str, when: datetime) -> tuple[DocumentSeries, int]:
    """Take the next number of a series; the caller is inside a transaction, which holds the row lock."""
    period = numbering_period(when)
    prefix = "-".join(part for part in (register_code.upper(), PREFIXES[kind], period.replace("-", "")) if part)
    series, _created = DocumentSeries.objects.get_or_create(
        kind=kind, register_code=register_code, period=period, defaults={"prefix": prefix}
    )
    # Every other taker of this series waits here until this transaction ends (SQLite: IMMEDIATE writers).
    series = DocumentSeries.objects.select_for_update().get(pk=series.pk)
    number = series.next_number
    series.next_number = number + 1
    series.save(update_fields=["next_number"])
    return series, number


# --- issuing -------------------------------------------------------------------------------


@transaction.atomic
def issue_document(
    *,
    kind: str,
    source_type: str,
    source_id: str | int,
    lines: Sequence[SoldLine],
    discount: Decimal = ZERO,
    buyer: Buyer | None = None,
    register_code: str = "",
    source_code: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> TaxDocument:
    """Issue an abbreviated or full tax invoice (or a receipt) for a sale or an order; once per source and kind.

    Asking again returns the document already issued, so a retried request takes no second number.
    """
    if kind not in (DocumentKind.ABBREVIATED, DocumentKind.FULL, DocumentKind.RECEIPT):
        raise InvalidTaxDocument(_("Credit notes are issued against an invoice."))
    source_id = str(source_id)
    existing = TaxDocument.objects.filter(
        kind=kind, source_type=source_type, source_id=source_id, status=TaxDocument.Status.ISSUED
    ).first()
    if existing is not None:
        return existing
    if not lines:
        raise InvalidTaxDocument(_("A document needs at least one line."))
    if kind == DocumentKind.FULL:
        if buyer is None:
            raise InvalidTaxDocument(_("A full tax invoice needs the buyer's name and address."))
        buyer = buyer.cleaned()
    now = now or timezone.now()
    return _create(
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_code=source_code,
        register_code=register_code,
        lines=lines,
        discount=discount,
        buyer=buyer,
        now=now,
        actor=actor,
    )


def _create(
    *,
    kind: str,
    source_type: str,
    source_id: str,
    source_code: str,
    register_code: str,
    lines: Sequence[SoldLine],
    discount: Decimal,
    buyer: Buyer | None,
    now: datetime,
    actor: User | None,
    refers_to: TaxDocument | None = None,
    reason: str = "",
    original_value: Decimal | None = None,
    numbered: tuple[DocumentSeries, int] | None = None,
) -> TaxDocument:
    exempt = exempt_product_ids(line.product_id for line in lines)
    marked = [
        SoldLine(
            name=line.name,
            quantity=line.quantity,
            unit_price=to_satang(line.unit_price),
            total=to_satang(line.total),
            product_id=line.product_id,
            vat_exempt=line.vat_exempt or (line.product_id in exempt),
        )
        for line in lines
    ]
    rate = refers_to.vat_rate if refers_to is not None else vat_rate_on(timezone.localdate(now))
    try:
        parts = vat.split([vat.Line(total=line.total, vat_exempt=line.vat_exempt) for line in marked],
                          rate=rate, discount=discount)  # fmt: skip
    except ValueError as error:
        raise InvalidTaxDocument(_("The discount is larger than the goods' value.")) from error
    if parts.total < 0:
        raise InvalidTaxDocument(_("A document's total is not negative."))
    profile = center_profile()
    # Abbreviated invoices and receipts are numbered per register; full invoices and credit notes center-wide.
    per_register = kind in (DocumentKind.ABBREVIATED, DocumentKind.RECEIPT)
    series, number = numbered or _take_number(kind=kind, register_code=register_code if per_register else "", when=now)
    buyer = buyer or Buyer(name="", address="")
    document = TaxDocument.objects.create(
        kind=kind,
        series=series,
        number=number,
        code=f"{series.prefix}-{number:06d}",
        issued_at=now,
        source_type=source_type,
        source_id=source_id,
        source_code=source_code,
        register_code=register_code,
        seller_name=profile.legal_name_th or profile.name_th,
        seller_address=profile.address_th,
        seller_tax_id=profile.tax_id,
        seller_branch=profile.branch_code or "00000",
        buyer_name=buyer.name,
        buyer_address=buyer.address,
        buyer_tax_id=buyer.tax_id,
        buyer_branch=buyer.branch,
        vat_rate=rate,
        discount=parts.discount,
        total=parts.total,
        exempt_total=parts.exempt,
        net=parts.net,
        vat=parts.vat,
        refers_to=refers_to,
        reason=reason,
        original_value=original_value,
        corrected_value=None if original_value is None else original_value - parts.total,
    )
    TaxDocumentLine.objects.bulk_create(
        TaxDocumentLine(
            document=document,
            position=position,
            name=line.name[:300],
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=line.total,
            vat_exempt=line.vat_exempt,
        )
        for position, line in enumerate(marked, start=1)
    )
    record_audit_event(actor=actor, action=f"tax.{kind}_issued", target=document, summary=document.code)
    return document


@transaction.atomic
def record_till_receipt(
    *,
    register_code: str,
    prefix: str,
    number: int,
    source_type: str,
    source_id: str | int,
    lines: Sequence[SoldLine],
    discount: Decimal = ZERO,
    actor: User | None = None,
    now: datetime,
) -> TaxDocument:
    """Record the abbreviated tax invoice a till printed with a number of its own series (a register numbers
    its receipts itself, offline too, from blocks it reserved): kept here for the output-tax report."""
    existing = TaxDocument.objects.filter(
        kind=DocumentKind.ABBREVIATED, source_type=source_type, source_id=str(source_id)
    ).first()
    if existing is not None:
        return existing
    series, _created = DocumentSeries.objects.get_or_create(
        kind=DocumentKind.ABBREVIATED, register_code=register_code, period=TILL_NUMBERED, defaults={"prefix": prefix}
    )
    return _create(
        kind=DocumentKind.ABBREVIATED,
        source_type=source_type,
        source_id=str(source_id),
        source_code=f"{series.prefix}-{number:06d}",
        register_code=register_code,
        lines=lines,
        discount=discount,
        buyer=None,
        now=now,
        actor=actor,
        numbered=(series, number),
    )


@transaction.atomic
def issue_credit_note(
    *,
    invoice: TaxDocument,
    lines: Sequence[SoldLine],
    reason: str,
    source_type: str = "",
    source_id: str | int = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> TaxDocument:
    """Issue a credit note (s.86/10) for goods returned or an amount refunded against an invoice.

    It refers to the invoice and states the reason, the original value, the corrected value and the
    difference (its own total). Together the credit notes never exceed the invoice.
    """
    invoice = TaxDocument.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind == DocumentKind.CREDIT_NOTE:
        raise InvalidTaxDocument(_("A credit note is issued against an invoice."))
    if invoice.is_cancelled:
        raise DocumentCancelled(_("This document is cancelled."))
    if not reason.strip():
        raise InvalidTaxDocument(_("Give a reason."), fields={"reason": [_("Give a reason.")]})
    if not lines:
        raise InvalidTaxDocument(_("A document needs at least one line."))
    credited = credited_total(invoice)
    original = invoice.total - credited
    amount = sum((to_satang(line.total) for line in lines), ZERO)
    if amount <= 0 or amount > original:
        raise InvalidTaxDocument(
            _("A credit note is between ฿0.01 and what is left of the invoice (%(left)s).") % {"left": original}
        )
    buyer = Buyer(
        name=invoice.buyer_name, address=invoice.buyer_address, tax_id=invoice.buyer_tax_id, branch=invoice.buyer_branch
    )
    return _create(
        kind=DocumentKind.CREDIT_NOTE,
        source_type=source_type or invoice.source_type,
        source_id=str(source_id or invoice.source_id),
        source_code=invoice.code,
        register_code="",
        lines=lines,
        discount=ZERO,
        buyer=buyer,
        now=now or timezone.now(),
        actor=actor,
        refers_to=invoice,
        reason=reason.strip()[:300],
        original_value=original,
    )


def credited_total(invoice: TaxDocument) -> Decimal:
    credit_notes = invoice.credit_notes.filter(status=TaxDocument.Status.ISSUED)
    return sum((note.total for note in credit_notes), ZERO)


@transaction.atomic
def cancel_document(
    *, document: TaxDocument, reason: str, actor: User | None, now: datetime | None = None
) -> TaxDocument:
    """Cancel a document (a void before the end of the day): it is kept, marked cancelled; its number is
    not reused. A document with credit notes is credited, not cancelled."""
    document = TaxDocument.objects.select_for_update().get(pk=document.pk)
    if document.is_cancelled:
        raise DocumentCancelled(_("This document is already cancelled."))
    if document.credit_notes.filter(status=TaxDocument.Status.ISSUED).exists():
        raise InvalidTaxDocument(_("This invoice has credit notes; issue another credit note instead."))
    document.status = TaxDocument.Status.CANCELLED
    document.cancelled_at = now or timezone.now()
    document.cancel_reason = reason.strip()[:300]
    document.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    record_audit_event(actor=actor, action="tax.document_cancelled", target=document, summary=document.code)
    return document


def cancel_documents_of(
    *, source_type: str, source_id: str | int, reason: str, actor: User | None
) -> list[TaxDocument]:
    """Cancel every live document of a sale or an order (its void)."""
    documents = TaxDocument.objects.filter(
        source_type=source_type, source_id=str(source_id), status=TaxDocument.Status.ISSUED
    ).exclude(kind=DocumentKind.CREDIT_NOTE)
    return [cancel_document(document=document, reason=reason, actor=actor) for document in documents]


# --- requests made before payment --------------------------------------------------------------


def request_full_invoice(
    *, source_type: str, source_id: str | int, buyer: Buyer, now: datetime | None = None
) -> InvoiceRequest:
    """Keep a buyer's request for a full tax invoice until the sale is paid (checked now, refused if wrong)."""
    buyer = buyer.cleaned()
    request, _created = InvoiceRequest.objects.update_or_create(
        source_type=source_type,
        source_id=str(source_id),
        defaults={
            "buyer_name": buyer.name,
            "buyer_address": buyer.address,
            "buyer_tax_id": buyer.tax_id,
            "buyer_branch": buyer.branch,
            "requested_at": now or timezone.now(),
        },
    )
    return request


def requested_buyer(*, source_type: str, source_id: str | int) -> Buyer | None:
    request = InvoiceRequest.objects.filter(source_type=source_type, source_id=str(source_id)).first()
    if request is None:
        return None
    return Buyer(
        name=request.buyer_name, address=request.buyer_address, tax_id=request.buyer_tax_id, branch=request.buyer_branch
    )
