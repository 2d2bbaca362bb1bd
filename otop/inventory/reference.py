LOCATIONS = [
    # code, Thai, English, sells online, reservation order
    ("online", "ชั้นสินค้าออนไลน์", "Online-order shelf", True, 1),
    ("backstore", "คลังหลังร้าน", "Back store", True, 2),
    ("shop", "หน้าร้าน", "Shop floor", True, 3),
    ("tea", "คลังร้านชา", "Tea corner store", False, 9),
]


def ensure_reference_data(apps) -> None:
    Location = apps.get_model("inventory", "Location")
    for code, name_th, name_en, sells_online, priority in LOCATIONS:
        Location.objects.get_or_create(
            code=code,
            defaults={
                "name_th": name_th,
                "name_en": name_en,
                "sells_online": sells_online,
                "reserve_priority": priority,
            },
        )
