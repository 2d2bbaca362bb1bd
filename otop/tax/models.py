"""Tax documents (abbreviated and full tax invoices, credit notes, receipts), their gap-free series and VAT rates.

The app knows nothing of orders or sales: a caller names its source by a label ("pos.sale", "orders.order")
and an id, and passes the lines as sold. A document keeps copies of everything printed on it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from otop.core.encryption import EncryptedCharField, LookupDigestField, mask

MONEY = {"max_digits": 12, "decimal_places": 2}


class DocumentKind(models.TextChoices):
    ABBREVIATED = "abbreviated", _("Abbreviated tax invoice")  # s.86/6
    FULL = "full", _("Full tax invoice")  # s.86/4
    CREDIT_NOTE = "credit_note", _("Credit note")  # s.86/10
    RECEIPT = "receipt", _("Receipt")


class VatRate(models.Model):
    """The VAT rate valid from a date (inclusive) until a date (exclusive, open when empty); set by decree."""

    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, help_text=_("0.0700 is 7 %."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="one_vat_rate_per_start"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lt=1), name="vat_rate_is_a_fraction"),
        ]

    def __str__(self) -> str:
        return f"{self.rate * 100:.2f} % ({self.valid_from})"


class VatExemptProduct(models.Model):
    """A product exempt from VAT (s.81, e.g. unprocessed farm goods): its lines are shown apart, without VAT."""

    product = models.OneToOneField(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="vat_exemption"
    )
    reason = models.CharField(_("reason"), max_length=200, default="ม.81(1)(ก)")

    class Meta:
        verbose_name = _("VAT-exempt product")
        verbose_name_plural = _("VAT-exempt products")

    def __str__(self) -> str:
        return str(self.product_id)


class DocumentSeries(models.Model):
    """The next free number of one series: a kind, a register (abbreviated only) and a period ("2569" or
    "2569-12"). Its row is locked while a number is taken, so numbers are consecutive and never skipped."""

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    register_code = models.CharField(_("register"), max_length=20, blank=True)
    period = models.CharField(_("period"), max_length=7, blank=True)
    prefix = models.CharField(_("prefix"), max_length=30)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("document series")
        verbose_name_plural = _("document series")
        ordering = ["kind", "register_code", "period"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "register_code", "period"], name="one_series_per_kind_period"),
            models.UniqueConstraint(fields=["prefix"], name="series_prefix_once"),
        ]

    def __str__(self) -> str:
        return self.prefix


class TaxDocument(models.Model):
    """One issued document. Cancelled documents are kept (their number is never reused)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(_("document ID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    series = models.ForeignKey(DocumentSeries, on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField(_("issued at"))
    source_type = models.CharField(_("source"), max_length=40)
    source_id = models.CharField(_("source ID"), max_length=40)
    source_code = models.CharField(_("source reference"), max_length=40, blank=True)
    register_code = models.CharField(_("register"), max_length=20, blank=True)

    seller_name = models.CharField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller address"), blank=True)
    seller_tax_id = models.CharField(_("seller tax ID"), max_length=13, blank=True)
    seller_branch = models.CharField(_("seller branch"), max_length=5, default="00000")
    buyer_name = models.CharField(_("buyer name"), max_length=200, blank=True)
    buyer_address = models.TextField(_("buyer address"), blank=True)
    # A buyer's tax ID is a person's national ID when the buyer is a person: encrypted at rest (core.encryption),
    # found again by its keyed hash, shown masked on pages; the printed document carries it in full (s.86/4).
    buyer_tax_id = EncryptedCharField(_("buyer tax ID"), max_length=13, blank=True)
    buyer_tax_id_digest = LookupDigestField(source="buyer_tax_id")
    buyer_branch = EncryptedCharField(_("buyer branch"), max_length=5, blank=True)

    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    discount = models.DecimalField(_("discount"), default=Decimal("0.00"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    exempt_total = models.DecimalField(_("VAT-exempt value"), default=Decimal("0.00"), **MONEY)
    net = models.DecimalField(_("value before VAT"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)

    refers_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    # A full tax invoice asked for after the sale replaces its abbreviated one (cancelled, kept, referred to).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("replaces")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    original_value = models.DecimalField(_("original value"), null=True, blank=True, **MONEY)
    corrected_value = models.DecimalField(_("corrected value"), null=True, blank=True, **MONEY)

    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tax document")
        verbose_name_plural = _("tax documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="document_number_once_per_series"),
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=Q(status="issued") & Q(kind__in=["abbreviated", "full", "receipt"]),
                name="one_live_invoice_per_source_and_kind",
            ),
            # total = net + vat + exempt_total is kept by tax.vat.split; not a CHECK, as SQLite would compare
            # the decimals as floats.
        ]
        indexes = [models.Index(fields=["source_type", "source_id"]), models.Index(fields=["issued_at"])]
        permissions = [
            ("view_output_tax_report", _("Can see the monthly output-tax report")),
            ("view_buyer_tax_id", _("Can see a buyer's full tax ID on pages and in the API")),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title_th(self) -> str:
        return TITLES_TH[self.kind]

    @property
    def title_en(self) -> str:
        return TITLES_EN[self.kind]

    @property
    def seller_branch_label(self) -> str:
        return branch_label(self.seller_branch)

    @property
    def buyer_branch_label(self) -> str:
        return branch_label(self.buyer_branch) if self.buyer_branch else ""

    @property
    def masked_buyer_tax_id(self) -> str:
        return mask(self.buyer_tax_id)

    @property
    def vat_percent(self) -> str:
        return f"{(self.vat_rate * 100).normalize():f} %"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def difference(self) -> Decimal | None:
        if self.original_value is None or self.corrected_value is None:
            return None
        return self.original_value - self.corrected_value


def branch_label(code: str) -> str:
    """สำนักงานใหญ่ for the head office (00000), สาขาที่ 00001 for a branch, as the Revenue Department writes them."""
    return "สำนักงานใหญ่" if not code or int(code or 0) == 0 else f"สาขาที่ {code}"


TITLES_TH = {
    DocumentKind.ABBREVIATED: "ใบกำกับภาษีอย่างย่อ",
    DocumentKind.FULL: "ใบกำกับภาษี",
    DocumentKind.CREDIT_NOTE: "ใบลดหนี้",
    DocumentKind.RECEIPT: "ใบเสร็จรับเงิน",
}
TITLES_EN = {
    DocumentKind.ABBREVIATED: "Abbreviated tax invoice",
    DocumentKind.FULL: "Tax invoice",
    DocumentKind.CREDIT_NOTE: "Credit note",
    DocumentKind.RECEIPT: "Receipt",
}


class TaxDocumentLine(models.Model):
    """A line as printed: name, quantity, VAT-inclusive unit price and total, and whether it is exempt."""

    document = models.ForeignKey(TaxDocument, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("item"), max_length=300)
    quantity = models.IntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    total = models.DecimalField(_("amount"), **MONEY)
    vat_exempt = models.BooleanField(_("VAT exempt"), default=False)
    # A credit note's line: the invoice line it credits (units returned, or an amount taken off that line).
    credits_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credited_by", verbose_name=_("credits")
    )

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="document_line_position_once"),
        ]

    def __str__(self) -> str:
        return self.name


class InvoiceRequest(models.Model):
    """A buyer asked for a full tax invoice before the sale was paid (at checkout): issued when it is."""

    source_type = models.CharField(_("source"), max_length=40)
    source_id = models.CharField(_("source ID"), max_length=40)
    buyer_name = models.CharField(_("buyer name"), max_length=200)
    buyer_address = models.TextField(_("buyer address"))
    buyer_tax_id = EncryptedCharField(_("buyer tax ID"), max_length=13, blank=True)
    buyer_branch = EncryptedCharField(_("buyer branch"), max_length=5, blank=True)
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("full tax invoice request")
        verbose_name_plural = _("full tax invoice requests")
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_invoice_request_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_type}:{self.source_id}"
