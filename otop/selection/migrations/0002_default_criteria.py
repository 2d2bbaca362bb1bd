from django.db import migrations

# The six default criteria of the center's committee; the center may change them as data.
CRITERIA = [
    ("quality", "คุณภาพสินค้า", "Product quality"),
    ("packaging", "บรรจุภัณฑ์และฉลาก", "Packaging and labelling"),
    ("standards", "มาตรฐานและการรับรอง (อย./มผช.)", "Standards and certification (FDA/TCPS)"),
    ("price", "ราคาเหมาะสมกับตลาด", "Price suits the market"),
    ("story", "เรื่องราวและภูมิปัญญาท้องถิ่น", "Story and local wisdom"),
    ("market", "ศักยภาพทางการตลาด", "Market potential"),
]


def add_defaults(apps, schema_editor):
    Criterion = apps.get_model("selection", "Criterion")
    DecisionRule = apps.get_model("selection", "DecisionRule")
    for order, (code, name_th, name_en) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
        )
    DecisionRule.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
