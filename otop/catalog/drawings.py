"""Pictures drawn with Pillow for the demo catalogue: each looks like its category.

Demo data only (nothing here is shown for a real product): a folded stack of patterned cloth for
textiles, a jar with a label for food, a woven basket for household goods, a wrapped gift for
souvenirs, an amber bottle among leaves for herbal products. Drawn at seed time, never downloaded;
the same `variant` always gives the same picture.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTH, HEIGHT = 960, 720  # 4:3, the renditions' aspect ratio; drawn at this size, then made smaller
SAVED_WIDTH, SAVED_HEIGHT = 720, 540  # smooths the edges, and keeps seeding a few hundred pictures quick

SILKS = [(142, 27, 48), (40, 52, 120), (176, 120, 20), (96, 36, 110), (22, 104, 86), (190, 70, 40)]
GOLD = (226, 184, 88)
CREAM = (246, 238, 220)
Colour = tuple[int, int, int]


def _shade(colour: Colour, factor: float) -> Colour:
    return tuple(max(0, min(255, round(channel * factor))) for channel in colour)  # type: ignore[return-value]


def _background(rng: random.Random, tint: Colour) -> Image.Image:
    top = _shade(tint, 1.0)
    bottom = _shade(tint, 0.86)
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    image = ImageOps.colorize(gradient, top, bottom).convert("RGB")
    draw = ImageDraw.Draw(image)
    table = _shade(tint, rng.uniform(0.72, 0.8))
    draw.rectangle((0, int(HEIGHT * 0.74), WIDTH, HEIGHT), fill=table)
    return image


def _shadow(image: Image.Image, box: tuple[int, int, int, int]) -> None:
    """A soft shadow under the object: blurred small, then enlarged (cheap)."""
    scale = 4
    mask = Image.new("L", (WIDTH // scale, HEIGHT // scale), 0)
    ImageDraw.Draw(mask).ellipse([value // scale for value in box], fill=110)
    mask = mask.filter(ImageFilter.GaussianBlur(6)).resize((WIDTH, HEIGHT), Image.BILINEAR)
    image.paste((0, 0, 0), (0, 0), mask)


def _cloth(rng: random.Random, width: int, height: int, base: Colour) -> Image.Image:
    cloth = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(cloth)
    accent = rng.choice([GOLD, CREAM, _shade(base, 1.7)])
    second = rng.choice([c for c in SILKS if c != base])
    row = rng.randrange(28, 46)
    style = rng.randrange(3)
    for y in range(0, height + row, row):
        if style == 0:  # mudmee diamonds
            for x in range(-row, width + row, row):
                offset = row // 2 if (y // row) % 2 else 0
                cx, cy = x + offset, y
                draw.polygon(
                    [(cx, cy - row // 2), (cx + row // 2, cy), (cx, cy + row // 2), (cx - row // 2, cy)], outline=accent
                )
                draw.polygon([(cx, cy - 6), (cx + 6, cy), (cx, cy + 6), (cx - 6, cy)], fill=second)
        elif style == 1:  # stripes with a zigzag (khit)
            draw.rectangle((0, y, width, y + row // 4), fill=accent)
            points = [(x, y + row // 2 + (8 if (x // 16) % 2 else -8)) for x in range(0, width + 16, 16)]
            draw.line(points, fill=second, width=4)
        else:  # checks (pha khao ma)
            draw.rectangle((0, y, width, y + row // 3), fill=_shade(accent, 0.9))
    if style == 2:
        for x in range(0, width, row):
            draw.rectangle((x, 0, x + row // 3, height), fill=_shade(second, 1.1))
    return cloth


def draw_textiles(rng: random.Random) -> Image.Image:
    image = _background(rng, (236, 226, 232))
    _shadow(image, (170, 470, 790, 600))
    draw = ImageDraw.Draw(image)
    colours = rng.sample(SILKS, 3)
    top = 520
    for layer, colour in enumerate(colours):
        width, height = 560 - layer * 20, 90
        left = (WIDTH - width) // 2 + rng.randrange(-20, 20)
        y = top - layer * 96
        cloth = _cloth(rng, width, height, colour)
        image.paste(cloth, (left, y - height))
        draw.rectangle((left, y - 14, left + width, y), fill=_shade(colour, 0.7))  # the fold's edge
        draw.line((left, y - height, left + width, y - height), fill=_shade(colour, 1.3), width=3)
    return image


def draw_food(rng: random.Random) -> Image.Image:
    image = _background(rng, (246, 236, 214))
    _shadow(image, (300, 540, 660, 610))
    draw = ImageDraw.Draw(image)
    filling = rng.choice([(178, 34, 34), (214, 140, 30), (232, 220, 180), (120, 70, 40), (96, 120, 40), (200, 90, 40)])
    width = rng.randrange(280, 340)
    left = (WIDTH - width) // 2
    top, bottom = 200, 580
    glass = (226, 234, 236)
    draw.rounded_rectangle((left, top, left + width, bottom), radius=46, fill=glass, outline=(150, 160, 164), width=4)
    level = top + rng.randrange(30, 90)
    draw.rounded_rectangle((left + 10, level, left + width - 10, bottom - 10), radius=38, fill=filling)
    draw.rounded_rectangle((left + 18, top + 20, left + 40, bottom - 40), radius=12, fill=(250, 252, 252))  # shine
    lid = rng.choice([(200, 40, 40), (60, 60, 60), (212, 170, 60), (40, 90, 60)])
    draw.rounded_rectangle((left + 20, top - 70, left + width - 20, top + 8), radius=12, fill=lid)
    for y in range(top - 60, top, 12):
        draw.line((left + 26, y, left + width - 26, y), fill=_shade(lid, 0.8), width=3)
    label_top = top + 120
    draw.rounded_rectangle((left + 30, label_top, left + width - 30, label_top + 150), radius=10, fill=CREAM)
    band = rng.choice(SILKS)
    draw.rectangle((left + 30, label_top + 110, left + width - 30, label_top + 128), fill=band)
    draw.ellipse((WIDTH // 2 - 34, label_top + 22, WIDTH // 2 + 34, label_top + 90), outline=band, width=6)
    return image


def draw_household(rng: random.Random) -> Image.Image:
    image = _background(rng, (228, 236, 222))
    _shadow(image, (250, 540, 710, 620))
    draw = ImageDraw.Draw(image)
    cane = rng.choice([(196, 160, 100), (170, 130, 80), (214, 184, 130)])
    dark = _shade(cane, 0.72)
    top, bottom = 300, 590
    top_half, bottom_half = rng.randrange(210, 250), rng.randrange(150, 190)
    outline = [
        (WIDTH // 2 - top_half, top),
        (WIDTH // 2 + top_half, top),
        (WIDTH // 2 + bottom_half, bottom),
        (WIDTH // 2 - bottom_half, bottom),
    ]
    draw.polygon(outline, fill=cane)
    for y in range(top, bottom, 22):  # the weave: rows of offset strokes
        share = (y - top) / (bottom - top)
        half = top_half + (bottom_half - top_half) * share
        for x in range(int(WIDTH // 2 - half), int(WIDTH // 2 + half) - 20, 40):
            shift = 20 if (y // 22) % 2 else 0
            draw.line((x + shift, y + 4, x + shift + 18, y + 18), fill=dark, width=5)
    draw.polygon(outline, outline=dark)
    draw.ellipse(
        (WIDTH // 2 - top_half, top - 30, WIDTH // 2 + top_half, top + 30),
        fill=_shade(cane, 1.1),
        outline=dark,
        width=6,
    )
    if rng.random() < 0.6:
        draw.arc((WIDTH // 2 - 150, top - 210, WIDTH // 2 + 150, top + 60), 190, 350, fill=dark, width=14)
    return image


def draw_souvenirs(rng: random.Random) -> Image.Image:
    image = _background(rng, (246, 228, 222))
    _shadow(image, (270, 540, 690, 620))
    draw = ImageDraw.Draw(image)
    paper = rng.choice(SILKS)
    ribbon = rng.choice([GOLD, CREAM, (230, 120, 140)])
    left, right, top, bottom = 300, 660, 300, 580
    draw.rectangle((left, top, right, bottom), fill=paper)
    for x in range(left, right, 36):  # a printed pattern on the paper
        for y in range(top + 18, bottom, 36):
            draw.ellipse((x + 12, y, x + 20, y + 8), fill=_shade(paper, 1.35))
    draw.rectangle((left - 16, top - 50, right + 16, top + 4), fill=_shade(paper, 1.1))
    middle = (left + right) // 2
    draw.rectangle((middle - 18, top - 50, middle + 18, bottom), fill=ribbon)
    draw.rectangle((left - 16, (top + bottom) // 2 - 14, right + 16, (top + bottom) // 2 + 14), fill=ribbon)
    draw.ellipse((middle - 120, top - 130, middle, top - 40), outline=ribbon, width=18)
    draw.ellipse((middle, top - 130, middle + 120, top - 40), outline=ribbon, width=18)
    return image


def _leaf(draw: ImageDraw.ImageDraw, centre: tuple[int, int], length: int, angle: float, colour: Colour) -> None:
    cx, cy = centre
    points = []
    for step in range(21):
        t = step / 20
        along = (t - 0.5) * length
        across = math.sin(math.pi * t) * length * 0.22
        points.append((along, across))
    points += [(along, -across) for along, across in reversed(points)]
    cos, sin = math.cos(angle), math.sin(angle)
    draw.polygon([(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in points], fill=colour)
    draw.line(
        (cx - length / 2 * cos, cy - length / 2 * sin, cx + length / 2 * cos, cy + length / 2 * sin),
        fill=_shade(colour, 0.7),
        width=3,
    )


def draw_herbal(rng: random.Random) -> Image.Image:
    image = _background(rng, (226, 240, 230))
    _shadow(image, (280, 550, 680, 620))
    draw = ImageDraw.Draw(image)
    for _leaf_number in range(rng.randrange(4, 7)):
        green = rng.choice([(60, 130, 70), (90, 150, 60), (40, 110, 80)])
        _leaf(
            draw,
            (rng.choice([rng.randrange(200, 360), rng.randrange(600, 760)]), rng.randrange(380, 600)),
            rng.randrange(140, 220),
            rng.uniform(-1.2, 1.2),
            green,
        )
    amber = rng.choice([(150, 80, 20), (120, 60, 20), (200, 150, 60)])
    width = rng.randrange(170, 220)
    left = (WIDTH - width) // 2
    draw.rounded_rectangle((left, 300, left + width, 590), radius=30, fill=amber, outline=_shade(amber, 0.7), width=4)
    draw.rectangle((WIDTH // 2 - 40, 230, WIDTH // 2 + 40, 304), fill=_shade(amber, 1.1))
    draw.rounded_rectangle((WIDTH // 2 - 50, 180, WIDTH // 2 + 50, 240), radius=10, fill=(40, 40, 40))
    draw.rounded_rectangle((left + 18, 380, left + width - 18, 500), radius=8, fill=CREAM)
    _leaf(draw, (WIDTH // 2, 440), 70, -0.6, (60, 130, 70))
    return image


def draw_default(rng: random.Random) -> Image.Image:
    image = _background(rng, (236, 232, 226))
    _shadow(image, (330, 540, 630, 610))
    colour = rng.choice(SILKS)
    ImageDraw.Draw(image).ellipse((330, 260, 630, 570), fill=colour)
    return image


DRAWINGS: dict[str, Callable[[random.Random], Image.Image]] = {
    "textiles": draw_textiles,
    "food": draw_food,
    "household": draw_household,
    "souvenirs": draw_souvenirs,
    "herbal": draw_herbal,
}


def drawn_picture(category_code: str, variant: int) -> bytes:
    """A JPEG that looks like the category, the same for the same (category, variant)."""
    rng = random.Random(f"{category_code}:{variant}")
    image = DRAWINGS.get(category_code, draw_default)(rng).resize((SAVED_WIDTH, SAVED_HEIGHT), Image.BICUBIC)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
