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
from django.db.models import Q, Sum
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
    credits_line_id: int | None = None  # a credit note's line: the invoice line it takes from


@dataclass(frozen=True)
class LineCredit:
    """What a credit note takes off one line of an invoice (by its position): units returned, or an amount
    (a price reduction), or both (units returned for a given amount)."""

    position: int
    quantity: int = 0
    amount: Decimal | None = None


@dataclass(frozen=True)
class LineLeft:
    """An invoice line and what is left of it to credit: its value (its total less its share of the bill
    discount) and its units, less what credit notes already took."""

    line: TaxDocumentLine
    value: Decimal
    value_left: Decimal
    quantity_left: int


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
    replaces: TaxDocument | None = None,
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
            credits_line_id=line.credits_line_id,
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
        replaces=replaces,
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
            credits_line_id=line.credits_line_id,
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


def lines_left(invoice: TaxDocument) -> list[LineLeft]:
    """Each line of an invoice with what is left of it to credit.

    A line's value is its total less its share of the bill discount; the shares are split at the running
    total and rounded to the satang there, so the values add up to the invoice's total exactly.
    """
    lines = list(invoice.lines.order_by("position"))
    gross = sum((line.total for line in lines), ZERO)
    taken = {
        row["credits_line"]: (row["value"] or ZERO, row["units"] or 0)
        for row in TaxDocumentLine.objects.filter(
            credits_line__document=invoice, document__status=TaxDocument.Status.ISSUED
        )
        .values("credits_line")
        .annotate(value=Sum("total"), units=Sum("quantity"))
    }
    result, running, shared = [], ZERO, ZERO
    for line in lines:
        running += line.total
        share = (to_satang(invoice.discount * running / gross) if gross else ZERO) - shared
        shared += share
        value = line.total - share
        credited_value, credited_units = taken.get(line.pk, (ZERO, 0))
        result.append(
            LineLeft(
                line=line,
                value=value,
                value_left=value - credited_value,
                quantity_left=max(line.quantity - credited_units, 0),
            )
        )
    return result


@transaction.atomic
def credit_invoice_lines(
    *,
    invoice: TaxDocument,
    credits: Sequence[LineCredit],
    reason: str,
    source_type: str = "",
    source_id: str | int = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> TaxDocument:
    """Issue a credit note for part of an invoice, line by line (a partial refund): per line, units returned
    (credited at the line's value per unit; the last units take what is left, so nothing is lost to rounding)
    or an amount. Each credit note line refers to the invoice line it credits; a line is never credited
    beyond its units or its value. Refused as a whole (InvalidTaxDocument with a field per line)."""
    invoice = TaxDocument.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind == DocumentKind.CREDIT_NOTE:
        raise InvalidTaxDocument(_("A credit note is issued against an invoice."))
    if invoice.is_cancelled:
        raise DocumentCancelled(_("This document is cancelled."))
    left = {entry.line.position: entry for entry in lines_left(invoice)}
    errors: dict[str, list[str]] = {}
    sold: list[SoldLine] = []
    seen: set[int] = set()
    for credit in credits:
        field = f"lines.{credit.position}"
        entry = left.get(credit.position)
        if entry is None or credit.position in seen:
            errors[field] = [_("The invoice has no such line, or it is named twice.")]
            continue
        seen.add(credit.position)
        line = entry.line
        if credit.quantity < 0 or (credit.amount is not None and credit.amount <= 0):
            errors[field] = [_("A quantity or an amount is more than zero.")]
            continue
        if credit.quantity == 0 and credit.amount is None:
            errors[field] = [_("Give the units returned or the amount to take off.")]
            continue
        if credit.quantity > entry.quantity_left:
            errors[field] = [_("Only %(count)s of this line are left to credit.") % {"count": entry.quantity_left}]
            continue
        if credit.amount is not None:
            amount = to_satang(credit.amount)
        elif credit.quantity == entry.quantity_left:
            amount = entry.value_left
        else:
            amount = min(to_satang(entry.value * credit.quantity / line.quantity), entry.value_left)
        if amount <= 0 or amount > entry.value_left:
            errors[field] = [
                _("At most %(amount)s is left to credit on this line.") % {"amount": f"{entry.value_left:,.2f}"}
            ]
            continue
        sold.append(
            SoldLine(
                name=line.name,
                quantity=credit.quantity,
                unit_price=to_satang(amount / credit.quantity) if credit.quantity else amount,
                total=amount,
                vat_exempt=line.vat_exempt,
                credits_line_id=line.pk,
            )
        )
    if not credits:
        errors["lines"] = [_("Choose at least one line to credit.")]
    if errors:
        raise InvalidTaxDocument(_("Check the lines to credit."), fields=errors)
    return issue_credit_note(
        invoice=invoice, lines=sold, reason=reason, source_type=source_type, source_id=source_id, actor=actor, now=now
    )


@transaction.atomic
def credit_the_rest(
    *,
    invoice: TaxDocument,
    reason: str,
    source_type: str = "",
    source_id: str | int = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> TaxDocument | None:
    """Credit everything still left of an invoice (a refund of the whole sale, a void after its day), line by
    line; None when nothing is left."""
    invoice = TaxDocument.objects.select_for_update().get(pk=invoice.pk)
    remaining = invoice.total - credited_total(invoice)
    if remaining <= 0:
        return None
    entries = [entry for entry in lines_left(invoice) if entry.value_left > 0]
    if sum((entry.value_left for entry in entries), ZERO) == remaining:
        credits = [
            LineCredit(
                position=entry.line.position,
                quantity=entry.quantity_left,
                amount=None if entry.quantity_left else entry.value_left,
            )
            for entry in entries
        ]
        return credit_invoice_lines(
            invoice=invoice, credits=credits, reason=reason, source_type=source_type, source_id=source_id,
            actor=actor, now=now,
        )  # fmt: skip
    # Earlier credit notes took amounts off the whole invoice, not off its lines: credit what is left of it as
    # one amount, its exempt part apart while the exempt goods are untouched.
    exempt = invoice.exempt_total if remaining == invoice.total else ZERO
    name = _("Refund of %(code)s") % {"code": invoice.source_code or invoice.code}
    return issue_credit_note(
        invoice=invoice,
        lines=[
            SoldLine(name=name, quantity=1, unit_price=amount, total=amount, vat_exempt=exempt_part)
            for amount, exempt_part in ((remaining - exempt, False), (exempt, True))
            if amount > 0
        ],
        reason=reason,
        source_type=source_type,
        source_id=source_id,
        actor=actor,
        now=now,
    )


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


def void_documents_of(
    *, source_type: str, source_id: str | int, reason: str, actor: User | None, now: datetime | None = None
) -> list[TaxDocument]:
    """A sale or an order is voided: each live invoice of it is cancelled on the business day it was issued
    (kept, its number not reused); after that day, or once credited, a credit note takes back what is left
    of it. Returns the documents cancelled and the credit notes issued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = []
    invoices = TaxDocument.objects.filter(
        source_type=source_type, source_id=str(source_id), status=TaxDocument.Status.ISSUED
    ).exclude(kind=DocumentKind.CREDIT_NOTE)
    for invoice in invoices:
        credited = invoice.credit_notes.filter(status=TaxDocument.Status.ISSUED).exists()
        if timezone.localdate(invoice.issued_at) == today and not credited:
            done.append(cancel_document(document=invoice, reason=reason, actor=actor, now=now))
            continue
        note = credit_the_rest(invoice=invoice, reason=reason, actor=actor, now=now)
        if note is not None:
            done.append(note)
    return done


@transaction.atomic
def replace_with_full_invoice(
    *,
    source_type: str,
    source_id: str | int,
    lines: Sequence[SoldLine],
    buyer: Buyer,
    discount: Decimal = ZERO,
    register_code: str = "",
    source_code: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> TaxDocument:
    """Issue the full tax invoice of a sale that already has its abbreviated one (the buyer asked after
    paying, at the till or from the order page): the abbreviated invoice is cancelled, kept and referred to
    by the full one, which says which it replaces. Once per sale; a refusal (bad buyer, a credited invoice)
    changes nothing."""
    buyer = buyer.cleaned()
    source_id = str(source_id)
    existing = TaxDocument.objects.filter(
        kind=DocumentKind.FULL, source_type=source_type, source_id=source_id, status=TaxDocument.Status.ISSUED
    ).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    abbreviated = list(
        TaxDocument.objects.select_for_update().filter(
            kind=DocumentKind.ABBREVIATED, source_type=source_type, source_id=source_id,
            status=TaxDocument.Status.ISSUED,
        )
    )  # fmt: skip
    if any(document.credit_notes.filter(status=TaxDocument.Status.ISSUED).exists() for document in abbreviated):
        raise InvalidTaxDocument(_("This sale has credit notes: its invoice cannot be replaced any more."))
    for document in abbreviated:
        cancel_document(document=document, reason=_("Replaced by a full tax invoice"), actor=actor, now=now)
    full = issue_document(
        kind=DocumentKind.FULL,
        source_type=source_type,
        source_id=source_id,
        source_code=source_code,
        register_code=register_code,
        lines=lines,
        discount=discount,
        buyer=buyer,
        actor=actor,
        now=now,
    )
    if abbreviated:
        full.replaces = abbreviated[0]
        full.save(update_fields=["replaces"])
        for document in abbreviated:
            document.cancel_reason = (_("Replaced by full tax invoice %(code)s") % {"code": full.code})[:300]
            document.save(update_fields=["cancel_reason"])
    return full


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


# --- looks at a buyer's full tax ID ----------------------------------------------------------------


def record_buyer_tax_id_shown(*, actor: User | None, document: TaxDocument, how: str) -> None:
    """Put a staff look at a document's full buyer tax ID (its PDF, the API) in the audit log; a document
    without one is not recorded."""
    if not document.buyer_tax_id:
        return
    record_audit_event(
        actor=actor, action="tax.buyer_tax_id_viewed", target=document,
        summary=f"{document.code} {document.masked_buyer_tax_id}", data={"how": how},
    )  # fmt: skip


def record_output_tax_report_exported(*, actor: User | None, year: int, month: int, fmt: str, buyers: int) -> None:
    """The output-tax report's files carry the buyers' full tax IDs (the Revenue Department's layout): every
    download is in the audit log with how many it held."""
    record_audit_event(
        actor=actor, action="tax.output_tax_report_exported", target=center_profile(),
        summary=f"{year}-{month:02d}.{fmt}", data={"buyer_tax_ids": buyers},
    )  # fmt: skip
