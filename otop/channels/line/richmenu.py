"""The LINE rich menu as data (richmenu.json beside this file) and its image, drawn here with Pillow in
Sarabun (Thai above, English below), 2500×1686 as the layout says. `manage.py line_setup_richmenu`
uploads both through the SDK and makes the menu every user's default.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

LAYOUT_FILE = Path(__file__).with_name("richmenu.json")
# Fields of our layout that are ours (what to draw), not LINE's.
DRAWING_FIELDS = ("label_th", "label_en", "color")


def layout() -> dict:
    """Our layout with the site's address filled in."""
    data = json.loads(LAYOUT_FILE.read_text(encoding="utf-8"))
    for area in data["areas"]:
        if area["action"].get("type") == "uri":
            area["action"]["uri"] = area["action"]["uri"].replace("{SITE_URL}", settings.SITE_URL)
    return data


def line_rich_menu(data: dict) -> dict:
    """The rich menu object LINE takes: the layout without our drawing fields."""
    menu = copy.deepcopy(data)
    for area in menu["areas"]:
        for field in DRAWING_FIELDS:
            area.pop(field, None)
    return menu


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    font = _font(weight, size)
    while size > 40 and draw.textlength(text, font=font) > width:
        size -= 6
        font = _font(weight, size)
    return font


def draw(data: dict) -> bytes:
    """The menu's PNG: one coloured tile per area with its Thai and English label, centred."""
    width, height = data["size"]["width"], data["size"]["height"]
    image = Image.new("RGB", (width, height), "#FFFFFF")
    canvas = ImageDraw.Draw(image)
    gap = 12
    for area in data["areas"]:
        box = area["bounds"]
        left, top = box["x"] + gap // 2, box["y"] + gap // 2
        right, bottom = box["x"] + box["width"] - gap // 2, box["y"] + box["height"] - gap // 2
        canvas.rounded_rectangle((left, top, right, bottom), radius=48, fill=area.get("color", "#1B7F4B"))
        room = right - left - 80
        thai = _fit(canvas, area["label_th"], "Bold", 132, room)
        english = _fit(canvas, area["label_en"], "Medium", 84, room)
        centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
        canvas.text((centre_x, centre_y - 30), area["label_th"], font=thai, fill="#FFFFFF", anchor="ms")
        canvas.text((centre_x, centre_y + 70), area["label_en"], font=english, fill="#F2EFE6", anchor="mt")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
