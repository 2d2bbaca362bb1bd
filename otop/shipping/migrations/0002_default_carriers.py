"""Default carriers, Thailand Post's published weight bands and the standard box sizes (reference.py)."""

from django.db import migrations

from otop.shipping.reference import ensure_reference_data


def forwards(apps, schema_editor):
    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
