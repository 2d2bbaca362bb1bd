# The data step is a migration of its own: on PostgreSQL, rows updated in the same transaction as the schema
# change leave pending trigger events, and the new index cannot be built then.

from django.db import migrations

import otop.core.encryption

ENCRYPTED = [
    ("TaxDocument", "buyer_tax_id"),
    ("TaxDocument", "buyer_branch"),
    ("InvoiceRequest", "buyer_tax_id"),
    ("InvoiceRequest", "buyer_branch"),
]


def encrypt_existing(apps, schema_editor):
    """Buyers' tax IDs and branches kept before encryption are rewritten encrypted with the newest key, and each
    document's lookup digest is set."""
    for model_name, field_name in ENCRYPTED:
        otop.core.encryption.reencrypt_rows(apps.get_model("tax", model_name), field_name)


def decrypt_existing(apps, schema_editor):
    """Back to plaintext (the columns become varchar again); needs the keys that encrypted the values."""
    for model_name, field_name in ENCRYPTED:
        otop.core.encryption.decrypt_rows(apps.get_model("tax", model_name), field_name)


class Migration(migrations.Migration):
    dependencies = [
        ("tax", "0006_encrypted_buyer_tax_id"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
