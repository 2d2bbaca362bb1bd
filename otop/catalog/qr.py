"""QR codes of the product links (segno). Error correction M at least, so a scuffed shelf label still reads."""

from __future__ import annotations

import io

import segno


def product_qr(url: str) -> segno.QRCode:
    # boost_error lets segno raise the level above M when the symbol size allows it for free.
    return segno.make_qr(url, error="m", boost_error=True)


def qr_svg(url: str, *, scale: int = 4, border: int = 4) -> str:
    buffer = io.BytesIO()
    product_qr(url).save(buffer, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode()


def qr_png(url: str, *, scale: int = 8, border: int = 4) -> bytes:
    buffer = io.BytesIO()
    product_qr(url).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
