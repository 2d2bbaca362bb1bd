CATEGORIES = [
    ("food", "อาหารและเครื่องดื่ม", "Food and drinks"),
    ("textiles", "ผ้าและเครื่องแต่งกาย", "Textiles and apparel"),
    ("household", "ของใช้และของตกแต่ง", "Household items and decorations"),
    ("souvenirs", "ของที่ระลึก", "Souvenirs"),
    ("herbal", "สมุนไพรที่ไม่ใช่อาหาร", "Non-food herbal products"),
]


def ensure_reference_data(apps) -> None:
    """The five OTOP categories (managers may rename them afterwards; existing rows are kept)."""
    Category = apps.get_model("catalog", "Category")
    for order, (code, name_th, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
        )
