from django.db import migrations


def create(apps, schema_editor):
    from otop.selection.reference import ensure_reference_data

    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
