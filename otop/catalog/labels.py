"""Shelf labels as an A4 PDF (WeasyPrint, Sarabun): Thai name, price, EAN-13 and the QR of the story page."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from otop.catalog.barcodes import ean13_png, is_valid_ean13
from otop.catalog.models import Variant
from otop.catalog.qr import product_qr


@dataclass(frozen=True)
class Layout:
    code: str
    label: str
    columns: int
    rows: int
    # Page margins and label size in millimetres; the labels tile an A4 sheet.
    margin_top: float
    margin_left: float
    width: float
    height: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "3x8": Layout("3x8", _("3 × 8 (24 a sheet, 70 × 37 mm)"), 3, 8, 0.5, 0, 70, 37),
    "2x5": Layout("2x5", _("2 × 5 (10 a sheet, 105 × 59 mm)"), 2, 5, 1, 0, 105, 59),
    "2x7": Layout("2x7", _("2 × 7 (14 a sheet, 99 × 38 mm)"), 2, 7, 15.5, 6, 99, 38),
}


def sarabun_url(weight: str = "Regular") -> str:
    import fontpkg_sarabun

    return (fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf").as_uri()


# Small PNGs (one pixel a module, drawn without smoothing) rather than SVG: 500 labels render
# several times faster and print just as sharp.
@lru_cache(maxsize=4096)
def _qr(url: str) -> str:
    return product_qr(url).png_data_uri(scale=1, border=0)


@lru_cache(maxsize=4096)
def _bars(code: str) -> str:
    return "data:image/png;base64," + base64.b64encode(ean13_png(code)).decode()


@dataclass(frozen=True)
class Label:
    name: str
    variant_name: str
    price: object
    barcode: str
    barcode_image: str
    qr_image: str
    url: str
    sku: str


def labels_for(variants: Sequence[Variant], *, base_url: str, copies: int = 1) -> list[Label]:
    """Build the printable labels; the QR is the product's short link /p/<code> on base_url."""
    labels = []
    base_url = base_url.rstrip("/")
    with translation.override("th"):
        for variant in variants:
            product = variant.product
            url = base_url + reverse("storefront:qr", kwargs={"code": product.code})
            barcode = variant.barcode if variant.barcode and is_valid_ean13(variant.barcode) else ""
            label = Label(
                name=product.name_th,
                variant_name=variant.name_th,
                price=variant.price,
                barcode=barcode,
                barcode_image=_bars(barcode) if barcode else "",
                qr_image=_qr(url),
                url=url,
                sku=variant.sku,
            )
            labels.extend([label] * copies)
    return labels


@dataclass(frozen=True)
class PlacedLabel:
    label: Label
    left: float
    top: float

    def __getattr__(self, name: str):
        return getattr(self.label, name)


def render_labels_html(labels: Sequence[Label], *, layout: Layout) -> str:
    # Absolute positions (computed here) lay out several times faster in WeasyPrint than floats.
    pages: list[list[PlacedLabel]] = [[]]
    for index, label in enumerate(labels):
        slot = index % layout.per_page
        if index and slot == 0:
            pages.append([])
        row, column = divmod(slot, layout.columns)
        pages[-1].append(
            PlacedLabel(
                label,
                left=round(layout.margin_left + column * layout.width, 2),
                top=round(layout.margin_top + row * layout.height, 2),
            )
        )
    with translation.override("th"):
        return render_to_string(
            "catalog/labels/sheet.html",
            {
                "pages": pages,
                "layout": layout,
                "font_regular": sarabun_url("Regular"),
                "font_bold": sarabun_url("Bold"),
            },
        )


def render_labels_pdf(labels: Sequence[Label], *, layout: Layout) -> bytes:
    """Return an A4 PDF with the labels tiled in the layout, page after page."""
    from weasyprint import HTML

    html = render_labels_html(labels, layout=layout)
    return HTML(string=html, base_url="/").write_pdf()
