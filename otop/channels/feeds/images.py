"""Pictures the channels draw: square feed images (≥ 500×500, Meta and Google) and 1200×630 share cards
(`og:image`). Each is drawn once and kept in the default storage under a name carrying its version, so a
changed photo, name or price gets a new file and an unchanged one is served as stored.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from decimal import Decimal

import fontpkg_sarabun
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont, ImageOps

from otop.search.text import segment_thai

SQUARE_MIN = 800
SQUARE_MAX = 1200
CARD_SIZE = (1200, 630)
BACKGROUND = (255, 255, 255)
BRAND = (122, 46, 26)  # the deep red of the site's header
CREAM = (250, 246, 238)
INK = (40, 30, 25)
_THAI = re.compile("[\u0e00-\u0e7f]")


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


def _tokens(text: str) -> list[str]:
    """Words to wrap between: Thai runs cut into words (Thai writes no spaces between words), a space kept
    in front of the first word after one."""
    tokens: list[str] = []
    for number, chunk in enumerate(text.split()):
        words = list(segment_thai(chunk)) if _THAI.search(chunk) else [chunk]
        if "".join(words) != chunk:  # the segmenter dropped something: keep the chunk whole
            words = [chunk]
        if number and words:
            words[0] = " " + words[0]
        tokens += words
    return tokens


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Lines of at most `width` pixels, cut between words; the last line ends with … when text is left."""
    out: list[str] = []
    current = ""
    tokens = _tokens(text)
    for token in tokens:
        if not current or draw.textlength(current + token, font=font) <= width:
            current += token if current else token.lstrip()
            continue
        out.append(current)
        current = token.lstrip()
        if len(out) == lines:
            out[-1] = _ellipsis(draw, out[-1], font, width)
            return out
    if current:
        out.append(current)
    while draw.textlength(out[-1], font=font) > width:  # one word longer than a line
        out[-1] = out[-1][:-2] + "…"
    return out


def _ellipsis(draw: ImageDraw.ImageDraw, line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    line = line.rstrip() + "…"
    while len(line) > 1 and draw.textlength(line, font=font) > width:
        line = line[:-2] + "…"
    return line


def _fitted(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    font = _font(weight, size)
    while size > 18 and draw.textlength(text, font=font) > width:
        size -= 2
        font = _font(weight, size)
    return font


def drawn_square(*, name: str, producer: str, center: str) -> bytes:
    """A square picture for a product with no photo: its Thai name, its producer and the center's name."""
    side = SQUARE_MIN
    canvas = Image.new("RGB", (side, side), CREAM)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, side, 90), fill=BRAND)
    draw.text((side // 2, 45), center, font=_fitted(draw, center, "SemiBold", 34, side - 40), fill=CREAM, anchor="mm")
    font = _font("Bold", 72)
    lines = _wrapped(draw, name, font, side - 120, 4)
    top = side // 2 - len(lines) * 45
    for number, line in enumerate(lines):
        draw.text((side // 2, top + number * 92), line, font=font, fill=INK, anchor="mm")
    draw.text(
        (side // 2, side - 90),
        producer,
        font=_fitted(draw, producer, "Regular", 40, side - 80),
        fill=BRAND,
        anchor="mm",
    )
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
    bar_left = text_left - 50 if photo_file is not None else 0
    draw.rectangle((bar_left, height - 90, width, height), fill=BRAND)
    center_font = _fitted(draw, text.center, "SemiBold", 34, width - bar_left - 80)
    draw.text((width - 40, height - 45), text.center, font=center_font, fill=CREAM, anchor="rm")
    title_font = _font("Bold", 60)
    lines = _wrapped(draw, text.title, title_font, text_width, 3)
    top = 70
    for line in lines:
        draw.text((text_left, top), line, font=title_font, fill=INK)
        top += 80
    if text.subtitle:
        subtitle_font = _fitted(draw, text.subtitle, "Regular", 36, text_width)
        draw.text((text_left, top + 10), text.subtitle, font=subtitle_font, fill=BRAND)
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
