"""Pictures the channels draw: square feed images (≥ 500×500, Meta and Google) and 1200×630 share cards
(`og:image`). Each is drawn once and kept in the default storage under a name carrying its version, so a
changed photo, name or price gets a new file and an unchanged one is served as stored.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from decimal import Decimal

import fontpkg_sarabun
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps

SQUARE_MIN = 800
SQUARE_MAX = 1200
CARD_SIZE = (1200, 630)
BACKGROUND = (255, 255, 255)
BRAND = (122, 46, 26)  # the deep red of the site's header
CREAM = (250, 246, 238)
INK = (40, 30, 25)


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), size)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _open_photo(photo_file) -> Image.Image:
    with photo_file.open("rb") as handle:
        image = Image.open(handle)
        image.load()
    return ImageOps.exif_transpose(image).convert("RGB")


def square_photo(photo_file) -> bytes:
    """The photo whole (never cropped) on a white square of 800–1200 px, scaled up when it is smaller."""
    image = _open_photo(photo_file)
    side = max(SQUARE_MIN, min(max(image.size), SQUARE_MAX))
    image = ImageOps.contain(image, (side, side), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (side, side), BACKGROUND)
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return _jpeg(canvas)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Lines of at most `width` pixels (Thai has no spaces: cut by characters when a word does not fit)."""
    out: list[str] = []
    current = ""
    for char in text:
        if draw.textlength(current + char, font=font) <= width:
            current += char
            continue
        out.append(current)
        current = char.lstrip()
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
    if len(out) == lines and "".join(out) != text.replace("\n", ""):
        out[-1] = out[-1][:-1] + "…"
    return out


def drawn_square(*, name: str, producer: str, center: str) -> bytes:
    """A square picture for a product with no photo: its Thai name, its producer and the center's name."""
    side = SQUARE_MIN
    canvas = Image.new("RGB", (side, side), CREAM)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, side, 90), fill=BRAND)
    draw.text((side // 2, 45), center[:60], font=_font("SemiBold", 34), fill=CREAM, anchor="mm")
    font = _font("Bold", 72)
    lines = _wrapped(draw, name, font, side - 120, 4)
    top = side // 2 - len(lines) * 45
    for number, line in enumerate(lines):
        draw.text((side // 2, top + number * 92), line, font=font, fill=INK, anchor="mm")
    draw.text((side // 2, side - 90), producer[:50], font=_font("Regular", 40), fill=BRAND, anchor="mm")
    return _jpeg(canvas)


@dataclass(frozen=True)
class CardText:
    title: str
    price: Decimal | None
    center: str
    subtitle: str = ""


def share_card(*, text: CardText, photo_file=None) -> bytes:
    """A 1200×630 share card: the photo on the left, the Thai name, the price and the center's name."""
    width, height = CARD_SIZE
    canvas = Image.new("RGB", CARD_SIZE, CREAM)
    draw = ImageDraw.Draw(canvas)
    text_left = 60
    if photo_file is not None:
        photo = ImageOps.fit(_open_photo(photo_file), (height, height), Image.Resampling.LANCZOS)
        canvas.paste(photo, (0, 0))
        text_left = height + 50
    text_width = width - text_left - 50
    draw.rectangle((text_left - 50 if photo_file is not None else 0, height - 90, width, height), fill=BRAND)
    draw.text((width - 40, height - 45), text.center[:60], font=_font("SemiBold", 34), fill=CREAM, anchor="rm")
    title_font = _font("Bold", 60)
    lines = _wrapped(draw, text.title, title_font, text_width, 3)
    top = 70
    for line in lines:
        draw.text((text_left, top), line, font=title_font, fill=INK)
        top += 80
    if text.subtitle:
        draw.text((text_left, top + 10), text.subtitle[:60], font=_font("Regular", 36), fill=BRAND)
        top += 60
    if text.price is not None:
        draw.text((text_left, height - 200), f"฿{text.price:,.2f}", font=_font("Bold", 72), fill=BRAND)
    return _jpeg(canvas)


def version_of(*parts: object) -> str:
    return format(zlib.crc32("|".join(str(part) for part in parts).encode()), "08x")


def stored_image(name: str, draw) -> str:
    """The stored picture `name`, drawn by `draw()` (bytes) the first time it is asked for."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(draw()))
        if saved != name:  # drawn by two requests at once: keep the first
            default_storage.delete(saved)
    return name
