from django.db import migrations


def create(apps, schema_editor):
    from otop.core.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("geo", "0002_load_places")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
