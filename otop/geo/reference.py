def ensure_reference_data(apps) -> None:
    Province = apps.get_model("geo", "Province")
    if Province.objects.exists():
        return
    from otop.geo.loading import load_places

    load_places(Province, apps.get_model("geo", "District"), apps.get_model("geo", "Subdistrict"))
