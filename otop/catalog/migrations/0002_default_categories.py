from django.db import migrations

CATEGORIES = [
    ("food", "อาหารและเครื่องดื่ม", "Food and drinks"),
    ("textiles", "ผ้าและเครื่องแต่งกาย", "Textiles and apparel"),
    ("household", "ของใช้และของตกแต่ง", "Household items and decorations"),
    ("souvenirs", "ของที่ระลึก", "Souvenirs"),
    ("herbal", "สมุนไพรที่ไม่ใช่อาหาร", "Non-food herbal products"),
]


def create(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for order, (code, name_th, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
