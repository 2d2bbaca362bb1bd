from django.db import migrations


def create(apps, schema_editor):
    from otop.inventory.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
