"""Each tax document as structured data under a stable id (its public_id), for staff and for e-Tax."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from otop.accounts.actors import acting_user
from otop.accounts.api_auth import require_permission, signed_in
from otop.core.apitypes import Money, errors
from otop.tax import selectors, services
from otop.tax.models import TaxDocument

router = Router(tags=["tax"], auth=signed_in)
VIEW = "tax.view_taxdocument"
REVEAL = "tax.view_buyer_tax_id"


class PartyOut(Schema):
    name: str
    address: str
    tax_id: str
    branch: str  # "00000" head office, "00001" a branch; empty for a person


class LineOut(Schema):
    position: int
    name: str
    quantity: int
    unit_price: Money
    total: Money
    vat_exempt: bool
    credits_position: int | None = None  # a credit note's line: the position of the invoice line it credits


class DocumentOut(Schema):
    id: uuid.UUID
    kind: Literal["abbreviated", "full", "credit_note", "receipt"]
    title_th: str
    number: str
    status: Literal["issued", "cancelled"]
    issued_at: datetime
    source: str
    source_reference: str
    register_code: str
    seller: PartyOut
    buyer: PartyOut | None
    vat_rate: str
    lines: list[LineOut]
    discount: Money
    value_before_vat: Money
    vat: Money
    vat_exempt_value: Money
    total: Money
    refers_to: uuid.UUID | None
    replaces: uuid.UUID | None
    reason: str
    original_value: Money | None
    corrected_value: Money | None
    cancelled_at: datetime | None


def document_out(document: TaxDocument, *, full_buyer_tax_id: bool = True) -> DocumentOut:
    """The document as data; the buyer's tax ID masked unless `full_buyer_tax_id` (the buyer's own copy, or a
    role that needs it, audited by the caller)."""
    buyer = None
    if document.buyer_name:
        tax_id = document.buyer_tax_id if full_buyer_tax_id else document.masked_buyer_tax_id
        buyer = PartyOut(name=document.buyer_name, address=document.buyer_address, tax_id=tax_id,
                         branch=document.buyer_branch)  # fmt: skip
    return DocumentOut(
        id=document.public_id,
        kind=document.kind,
        title_th=document.title_th,
        number=document.code,
        status=document.status,
        issued_at=document.issued_at,
        source=document.source_type,
        source_reference=document.source_code,
        register_code=document.register_code,
        seller=PartyOut(
            name=document.seller_name,
            address=document.seller_address,
            tax_id=document.seller_tax_id,
            branch=document.seller_branch,
        ),  # fmt: skip
        buyer=buyer,
        vat_rate=f"{document.vat_rate:.4f}",
        lines=[
            LineOut(
                position=line.position,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                total=line.total,
                vat_exempt=line.vat_exempt,
                credits_position=line.credits_line.position if line.credits_line_id else None,
            )  # fmt: skip
            for line in document.lines.all()
        ],
        discount=document.discount,
        value_before_vat=document.net,
        vat=document.vat,
        vat_exempt_value=document.exempt_total,
        total=document.total,
        refers_to=document.refers_to.public_id if document.refers_to else None,
        replaces=document.replaces.public_id if document.replaces else None,
        reason=document.reason,
        original_value=document.original_value,
        corrected_value=document.corrected_value,
        cancelled_at=document.cancelled_at,
    )


@router.get(
    "/tax/documents/{document_id}",
    response={200: DocumentOut, **errors(404)},
    summary="A tax document as structured data",
    description=(
        "Abbreviated or full tax invoice, credit note or receipt, by its stable id. Staff only. The buyer's tax ID "
        "is masked (•••••••••4567) unless the caller may see it in full (`tax.view_buyer_tax_id`, the manager); "
        "each full answer is recorded in the audit log."
    ),
)
def get_document(request: HttpRequest, document_id: uuid.UUID):
    require_permission(request, VIEW)
    document = selectors.document_by_public_id(document_id)
    if document is None:
        raise Http404
    full = request.user.has_perm(REVEAL)
    if full:
        services.record_buyer_tax_id_shown(actor=acting_user(request), document=document, how="api")
    return document_out(document, full_buyer_tax_id=full)
