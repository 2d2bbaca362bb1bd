from django.db import migrations

KHON_KAEN = "40"


def create(apps, schema_editor):
    """The first center is Khon Kaen's; the manager edits every field afterwards."""
    CenterProfile = apps.get_model("core", "CenterProfile")
    if CenterProfile.objects.filter(pk=1).exists():
        return
    CenterProfile.objects.create(
        pk=1,
        name_th="ศูนย์ส่งเสริมและพัฒนาสินค้า OTOP จังหวัดขอนแก่น",
        name_en="Khon Kaen OTOP Promotion and Development Center",
        legal_name_th="บริษัท ขอนแก่น โอทอป อินเตอร์ เทรดเดอร์ จำกัด",
        legal_name_en="Khon Kaen OTOP Inter Trader Co., Ltd.",
        address_th="อำเภอเมืองขอนแก่น จังหวัดขอนแก่น 40000",
        address_en="Mueang Khon Kaen, Khon Kaen 40000",
        province_id=KHON_KAEN,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("geo", "0002_load_places")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
