"""The catalogue CSV import and export, with the stock column inventory adds to it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from otop.catalog.barcodes import is_valid_ean13
from otop.catalog.csvio import COLUMNS, export_catalog_csv, import_catalog
from otop.catalog.models import Product, Variant
from otop.inventory.models import StockLevel, StockMove
from otop.inventory.selectors import available_quantities
from otop.producers.models import Producer

HEADER = ",".join(COLUMNS)
GOOD = (
    HEADER + "\n"
    "KK-001,ผ้าไหมมัดหมี่ลายนาค,Mudmee silk naga,textiles,2500.00,กลุ่มทอผ้าไหมบ้านเขว้า,ขอนแก่น,ชนบท,"
    'ผ้าไหมทอมือ,Hand-woven silk,"<p>ทอด้วยมือ</p><script>alert(1)</script>",<p>Woven by hand</p>,8850000000010,350,12,4\n'
    "KK-002,น้ำพริกปลาร้า,Fermented fish chili paste,อาหารและเครื่องดื่ม,45,กลุ่มแม่บ้านโนนสะอาด,,อำเภอเมืองขอนแก่น,"
    ",,,,,200,,\n"
)


def _import(text: str, **kwargs):
    return import_catalog(data=text.encode(), **kwargs)


def test_a_good_file_creates_listed_products_their_producers_and_barcodes(db):
    report = _import(GOOD)

    assert report.ok
    assert (report.created, report.updated, report.producers_created) == (2, 0, 2)
    silk = Product.objects.get(sku="KK-001")
    assert silk.status == Product.Status.LISTED
    assert silk.category.code == "textiles"
    assert silk.producer.district.name_th == "ชนบท"
    assert silk.story_th == "<p>ทอด้วยมือ</p>"  # the script is gone
    assert silk.otop_stars == 4
    assert silk.weight_grams == 350
    variant = Variant.objects.get(product=silk)
    assert (variant.sku, variant.barcode, variant.price, variant.is_default) == (
        "KK-001",
        "8850000000010",
        Decimal("2500.00"),
        True,
    )
    (move,) = StockMove.objects.filter(variant=variant)
    assert (move.to_location.code, move.quantity, move.reason, move.reference) == (
        "backstore",
        12,
        StockMove.Reason.CONSIGNMENT_INTAKE,
        "catalog-csv",
    )
    assert available_quantities(variant_ids=[variant.pk]) == {variant.pk: 12}
    assert not StockMove.objects.filter(variant__sku="KK-002").exists()  # no stock column value
    paste = Variant.objects.get(sku="KK-002")
    assert paste.product.producer.district.code == "4001"  # the province defaults to the center's
    assert paste.barcode.startswith("21") and is_valid_ean13(paste.barcode)


def test_every_bad_row_is_reported_in_thai_and_english_and_nothing_is_saved(db):
    text = (
        HEADER + "\n"
        "KK-001,ผ้าไหม,,textiles,100,กลุ่มหนึ่ง,,ชนบท,,,,,8850000000011,,,\n"  # wrong check digit
        "KK-002,,,toys,12.345,กลุ่มสอง,,ไม่มีอำเภอนี้,,,,,,abc,,9\n"  # many problems
        "KK-001,ผ้าไหม,,textiles,100,กลุ่มหนึ่ง,,ชนบท,,,,,,,,\n"  # duplicate SKU
        "KK-004,สบู่,,herbal,50,กลุ่มสี่,,ชนบท,,,,,,,,\n"  # fine on its own
    )
    producers_before = Producer.objects.count()

    report = _import(text)

    assert not report.ok
    assert report.bad_lines == [2, 3, 4]
    by_line = {(problem.line, problem.column): problem for problem in report.problems}
    assert by_line[(2, "barcode")].message("en") == "The check digit of barcode 8850000000011 is wrong."
    assert by_line[(2, "barcode")].message("th") == "เลขตรวจสอบของบาร์โค้ด 8850000000011 ไม่ถูกต้อง"
    assert by_line[(3, "name_th")].message("en") == "“name_th” is required."
    assert by_line[(3, "category")].message("en") == "Unknown category “toys”."
    assert by_line[(3, "category")].message("th") == "ไม่รู้จักหมวดหมู่ “toys”"
    assert by_line[(3, "price")].message("en") == "The price “12.345” is not an amount of baht (e.g. 350 or 350.50)."
    assert by_line[(3, "district")].message("en") == "There is no district “ไม่มีอำเภอนี้” in ขอนแก่น."
    assert by_line[(3, "weight_g")].message("en") == "“weight_g” must be a whole number from 0 to 1000000."
    assert by_line[(3, "otop_stars")].message("en") == "“otop_stars” must be a whole number from 1 to 5."
    assert by_line[(4, "sku")].message("en") == "SKU KK-001 is also on line 2."
    assert not Product.objects.exists()
    assert Producer.objects.count() == producers_before


def test_a_file_without_the_required_columns_or_not_utf8_is_refused(db):
    report = _import("sku,name_th\nA,B\n")
    assert [problem.message("en") for problem in report.problems] == [
        "Required columns are missing: category, price, producer, district."
    ]
    report = import_catalog(data=GOOD.encode("cp874"))
    assert report.problems[0].message("en") == "The file is not UTF-8 text. Save it as “CSV UTF-8”."
    assert not Product.objects.exists()


def test_reimporting_updates_by_sku_and_a_dry_run_saves_nothing(db):
    _import(GOOD)
    changed = GOOD.replace("2500.00", "2700.00").replace("Mudmee silk naga", "Mudmee silk (naga pattern)")

    dry = _import(changed, dry_run=True)
    assert (dry.ok, dry.created, dry.updated) == (True, 0, 2)
    assert Variant.objects.get(sku="KK-001").price == Decimal("2500.00")

    report = _import(changed)
    assert (report.created, report.updated, report.producers_created) == (0, 2, 0)
    assert StockMove.objects.count() == 1  # stock 12 was already on hand: nothing more received
    silk = Product.objects.get(sku="KK-001")
    assert silk.name_en == "Mudmee silk (naga pattern)"
    assert Variant.objects.get(sku="KK-001").price == Decimal("2700.00")
    assert Product.objects.count() == 2


def test_more_stock_is_received_and_less_is_refused(db):
    _import(GOOD)
    _import(GOOD.replace(",350,12,4", ",350,20,4"), stock_location="shop")
    more = _import(GOOD.replace(",350,12,4", ",350,15,4"))
    assert more.ok
    variant = Variant.objects.get(sku="KK-001")
    assert list(StockLevel.objects.filter(variant=variant).order_by("location__code").values_list(
        "location__code", "on_hand"
    )) == [("backstore", 15), ("shop", 20)]  # fmt: skip

    less = _import(GOOD.replace(",350,12,4", ",350,9,4"))
    assert [problem.message("en") for problem in less.problems] == [
        "The stock of KK-001 is already 15; an import only adds goods. Count lower stock in a stocktake."
    ]
    assert StockLevel.objects.get(variant=variant, location__code="backstore").on_hand == 15


def test_export_writes_the_import_format_and_round_trips(db):
    _import(GOOD)
    exported = export_catalog_csv()
    assert exported.splitlines()[0] == HEADER
    assert exported.splitlines()[1].endswith(",8850000000010,350,12,4,,,")  # no parcel size given

    StockMove.objects.all().delete()
    StockLevel.objects.all().delete()
    Variant.objects.all().delete()
    Product.objects.all().delete()
    report = _import(exported)

    assert (report.ok, report.created) == (True, 2)
    assert export_catalog_csv() == exported


def test_the_command_reports_problems_in_the_chosen_language(db, tmp_path, capsys):
    path = tmp_path / "catalog.csv"
    path.write_text(HEADER + "\nKK-9,ชื่อ,,nope,10,กลุ่ม,,ชนบท,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--language", "en")
    assert "line 2 [category]: Unknown category “nope”." in capsys.readouterr().err

    path.write_text(GOOD, encoding="utf-8")
    call_command("import_catalog", str(path), "--dry-run")
    assert not Product.objects.exists()
    call_command("import_catalog", str(path))
    assert Product.objects.count() == 2
    assert translation.get_language() == "th"


def test_five_thousand_rows_import(db):
    rows = [HEADER] + [
        f"BULK-{n:05d},สินค้า {n},Item {n},food,{10 + n % 90}.00,กลุ่มผู้ผลิต {n % 50},ขอนแก่น,ชนบท,,,,,,100,,3"
        for n in range(5000)
    ]
    report = _import("\n".join(rows) + "\n")
    assert (report.ok, report.created, report.producers_created) == (True, 5000, 50)
    assert Variant.objects.filter(barcode__startswith="21").count() == 5000


def test_parcel_sizes_in_millimetres_are_imported_and_exported(db):
    text = HEADER + "\nKK-010,ผ้าขาวม้า,Loincloth,textiles,150,กลุ่มทอผ้า,ขอนแก่น,ชนบท,,,,,,250,,,300,200,40\n"
    assert _import(text).ok
    product = Product.objects.get(sku="KK-010")
    assert (product.weight_grams, product.length_mm, product.width_mm, product.height_mm) == (250, 300, 200, 40)
    exported = export_catalog_csv().splitlines()
    assert exported[0].endswith("length_mm,width_mm,height_mm")
    assert exported[1].endswith(",250,,,300,200,40")
    wrong = HEADER + "\nKK-011,ผ้า,Cloth,textiles,150,กลุ่มทอผ้า,ขอนแก่น,ชนบท,,,,,,250,,,0,200,40\n"
    assert not _import(wrong).ok
