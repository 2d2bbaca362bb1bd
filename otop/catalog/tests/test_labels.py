from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from otop.catalog.barcodes import ean13_modules, ean13_png, generated_ean13, is_valid_ean13
from otop.catalog.labels import LAYOUTS, labels_for, render_labels_pdf
from otop.catalog.models import Variant
from otop.catalog.tests.factories import ProductFactory


def _pages(pdf: bytes, scale: float = 300 / 72) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    return [document[index].render(scale=scale).to_pil().convert("L") for index in range(len(document))]


def _decoded(image: Image.Image) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, []).append(result.text)
    return found


def test_a_label_sheet_carries_the_qr_link_and_the_ean13_that_scan_back(db):
    product = ProductFactory(code="abc2345", name_th="ผ้าไหมมัดหมี่ลายนาคน้อย")
    variant = Variant.objects.get(product=product)

    pdf = render_labels_pdf(labels_for([variant], base_url="https://otop.example"), layout=LAYOUTS["3x8"])

    (page,) = _pages(pdf)
    assert page.getextrema()[0] < 50  # something is printed: the page is not blank
    found = _decoded(page)
    assert found["QRCode"] == ["https://otop.example/p/abc2345"]
    assert found["EAN13"] == [variant.barcode]


@pytest.mark.parametrize(("layout", "labels", "pages"), [("3x8", 25, 2), ("2x5", 10, 1), ("2x7", 15, 2)])
def test_layouts_tile_the_labels_over_a4_pages(db, layout, labels, pages):
    variant = Variant.objects.get(product=ProductFactory())
    pdf = render_labels_pdf(labels_for([variant], base_url="http://x", copies=labels), layout=LAYOUTS[layout])
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == pages
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_every_label_of_a_2x5_sheet_scans(db):
    variants = [Variant.objects.get(product=ProductFactory()) for _ in range(10)]
    pdf = render_labels_pdf(labels_for(variants, base_url="http://shop"), layout=LAYOUTS["2x5"])
    found = _decoded(_pages(pdf, scale=200 / 72)[0])
    assert sorted(found["EAN13"]) == sorted(variant.barcode for variant in variants)
    assert len(found["QRCode"]) == 10


def test_barcodes_refuse_a_wrong_check_digit_instead_of_fixing_it():
    assert is_valid_ean13("8850000000010")
    with pytest.raises(ValueError):
        ean13_modules("8850000000011")
    assert len(ean13_modules("8850000000010")) == 95
    assert generated_ean13(42) == "2100000000425"
    assert is_valid_ean13(generated_ean13(42))
    image = Image.open(io.BytesIO(ean13_png("8850000000010")))
    assert image.size == (95 + 18, 1)
