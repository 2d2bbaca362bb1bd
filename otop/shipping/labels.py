"""Thermal parcel labels, 100 × 150 mm (WeasyPrint + Sarabun): sender, recipient with phone, the
postcode large, the tracking number as a Code 128 barcode, the COD amount, the order number.
A batch is one PDF, a label a page. The packing slip (A5, Thai) that goes into the box."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import lru_cache

import fontpkg_sarabun
from barcode import Code128
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image

from otop.core.selectors import center_profile
from otop.orders.models import Order
from otop.shipping.models import Shipment


def _font(weight: str) -> str:
    return (fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf").as_uri()


@lru_cache(maxsize=1024)
def code128_png(value: str, *, quiet: int = 10) -> str:
    """A Code 128 barcode as a one-pixel-high PNG data URI, one pixel a module, stretched without smoothing
    by the label (as the shelf labels do: far faster to render than vector bars, as sharp in print)."""
    modules = Code128(value).build()[0]
    image = Image.new("1", (len(modules) + 2 * quiet, 1), 1)
    for position, module in enumerate(modules):
        if module == "1":
            image.putpixel((quiet + position, 0), 0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_labels_html(shipments: Sequence[Shipment]) -> str:
    center = center_profile()
    labels = [
        {
            "shipment": shipment,
            "order": shipment.order,
            "carrier": shipment.service.carrier,
            "barcode": code128_png(shipment.tracking_number) if shipment.tracking_number else "",
        }
        for shipment in shipments
    ]
    with translation.override("th"):
        return render_to_string(
            "shipping/label.html",
            {"labels": labels, "center": center, "font_regular": _font("Regular"), "font_bold": _font("Bold")},
        )


def render_labels_pdf(shipments: Sequence[Shipment]) -> bytes:
    """One 100 × 150 mm page per shipment."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=render_labels_html(shipments), base_url="/").write_pdf()


def render_packing_slip_pdf(order: Order, shipment: Shipment | None) -> bytes:
    """The order's items with a box to tick each, the recipient, and what the carrier collects (COD)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    with translation.override("th"):
        html = render_to_string(
            "shipping/packing_slip.html",
            {
                "order": order,
                "shipment": shipment,
                "units": sum(line.quantity for line in order.lines.all()),
                "center": center_profile(),
                "font_regular": _font("Regular"),
                "font_bold": _font("Bold"),
            },
        )
    return HTML(string=html, base_url="/").write_pdf()
