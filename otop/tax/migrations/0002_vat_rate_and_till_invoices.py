"""The 7 % VAT rate, and the till's full tax invoices carried over from pos with their numbers and codes.

Each register's invoice series becomes a series of its own here (prefix "<receipt prefix>-TI", the next
number the till would have taken), so every invoice keeps the code it was printed with; nothing is renumbered.
"""

from decimal import Decimal

from django.db import migrations

from otop.tax.reference import ensure_reference_data


def forwards(apps, schema_editor):
    DocumentSeries = apps.get_model("tax", "DocumentSeries")
    TaxDocument = apps.get_model("tax", "TaxDocument")
    TaxDocumentLine = apps.get_model("tax", "TaxDocumentLine")
    TaxInvoice = apps.get_model("pos", "TaxInvoice")
    ReceiptCounter = apps.get_model("pos", "ReceiptCounter")
    CenterProfile = apps.get_model("core", "CenterProfile")

    ensure_reference_data(apps)

    profile = CenterProfile.objects.filter(pk=1).first()
    seller = {
        "seller_name": (profile.legal_name_th or profile.name_th) if profile else "",
        "seller_address": profile.address_th if profile else "",
        "seller_tax_id": profile.tax_id if profile else "",
        "seller_branch": (profile.branch_code or "00000") if profile else "00000",
    }
    series_of = {}
    for counter in ReceiptCounter.objects.filter(series="tax_invoice").select_related("register"):
        register = counter.register
        series_of[register.pk] = DocumentSeries.objects.create(
            kind="full", register_code=register.code, period="", prefix=f"{register.receipt_prefix}-TI",
            next_number=counter.next_number,
        )  # fmt: skip
    for invoice in TaxInvoice.objects.select_related("sale", "register").order_by("pk"):
        register, sale = invoice.register, invoice.sale
        series = series_of.get(register.pk)
        if series is None:
            series = series_of[register.pk] = DocumentSeries.objects.create(
                kind="full", register_code=register.code, period="", prefix=f"{register.receipt_prefix}-TI",
                next_number=invoice.number + 1,
            )  # fmt: skip
        document = TaxDocument.objects.create(
            kind="full",
            series=series,
            number=invoice.number,
            code=f"{series.prefix}-{invoice.number:06d}",
            status="issued",
            issued_at=invoice.issued_at,
            source_type="pos.sale",
            source_id=str(sale.pk),
            source_code=f"{register.receipt_prefix}-{sale.receipt_number:06d}",
            register_code=register.code,
            buyer_name=invoice.buyer_name,
            buyer_address=invoice.buyer_address,
            buyer_tax_id=invoice.buyer_tax_id,
            buyer_branch=invoice.buyer_branch,
            vat_rate=Decimal("0.0700"),
            discount=sale.bill_discount,
            total=sale.total,
            exempt_total=Decimal("0.00"),
            net=sale.total - sale.vat,
            vat=sale.vat,
            **seller,
        )
        for position, line in enumerate(sale.lines.order_by("position", "pk"), start=1):
            TaxDocumentLine.objects.create(
                document=document, position=position, name=line.name[:300], quantity=line.quantity,
                unit_price=line.unit_price, total=line.total,
            )  # fmt: skip
        if series.next_number <= invoice.number:
            series.next_number = invoice.number + 1
            series.save(update_fields=["next_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("tax", "0001_documents"),
        ("pos", "0003_price_lists"),
        ("core", "0002_default_center_profile"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
