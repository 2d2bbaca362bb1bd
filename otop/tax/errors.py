"""What the tax service refuses, each with a translated message and a stable code."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError


class InvalidTaxDocument(DomainError):
    """A document cannot be issued as asked (missing buyer, bad tax ID, empty lines, too late)."""

    code = "invalid_tax_document"


class DocumentCancelled(Conflict):
    """The document is already cancelled (its number stays used)."""

    code = "tax_document_cancelled"


class NoVatRate(DomainError):
    """No VAT rate is valid on the document's date."""

    code = "no_vat_rate"
