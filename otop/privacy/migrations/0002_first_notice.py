from django.db import migrations


def create(apps, schema_editor):
    from otop.privacy.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_notices_consents_requests")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
