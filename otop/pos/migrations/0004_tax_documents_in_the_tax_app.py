"""The till's full tax invoices now live in the tax app (copied there, codes kept, by tax 0002)."""

from django.db import migrations, models


def drop_invoice_counters(apps, schema_editor):
    # tax 0002 made each register's invoice counter a series of its own in the tax app.
    apps.get_model("pos", "ReceiptCounter").objects.filter(series="tax_invoice").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0003_price_lists"),
        ("tax", "0002_vat_rate_and_till_invoices"),
    ]

    operations = [
        migrations.RunPython(drop_invoice_counters, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="receiptcounter",
            name="series",
            field=models.CharField(choices=[("receipt", "Abbreviated tax invoice")], max_length=16),
        ),
        migrations.DeleteModel(name="TaxInvoice"),
    ]
