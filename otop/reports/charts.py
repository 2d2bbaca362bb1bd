"""Charts drawn on the server as SVG: no script runs in the page (the CSP allows none inline).

Each chart has a title and description for screen readers, and every page shows the same numbers in a
table beside it. Bars scale to the largest value; the SVG's viewBox makes it fit a phone's width.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from otop.reports.formats import compact_baht

# About a phone's width in CSS pixels, so that the 13px labels stay readable there; wider screens scale up.
WIDTH = 420
LABEL_WIDTH = 130
VALUE_WIDTH = 78
ROW_HEIGHT = 24
BAR_HEIGHT = 16
LABEL_CHARACTERS = 14


def _svg(height: int, title: str, body: list[str], chart_id: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text put in is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{"".join(body)}</svg>'
    )


def ranked_bars(rows, *, title: str, chart_id: str, show_target: bool = True) -> SafeString:
    """One horizontal bar per row (rows already ranked), with a tick at its target when it has one."""
    rows = list(rows)
    highest = max([max(row.net, row.target or 0) for row in rows] + [Decimal(1)])
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT + 4
        width = int(span * max(row.net, 0) / highest)
        label = row.label if len(row.label) <= LABEL_CHARACTERS else row.label[: LABEL_CHARACTERS - 1] + "…"
        shown = escape(compact_baht(row.net))
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{top + 13}" text-anchor="end" class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{width}" height="{BAR_HEIGHT}" class="chart-bar">'
            f"<title>{escape(row.label)}: {shown}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 4}" y="{top + 13}" class="chart-value">{shown}</text>'
        )
        if show_target and row.target:
            at = LABEL_WIDTH + int(span * row.target / highest)
            body.append(
                f'<line x1="{at}" x2="{at}" y1="{top - 2}" y2="{top + BAR_HEIGHT + 2}" class="chart-target">'
                f"<title>{escape(pgettext('sales', 'Target'))}: {escape(compact_baht(row.target))}</title></line>"
            )
    return _svg(max(len(rows), 1) * ROW_HEIGHT + 8, title, body, chart_id)


def months_against_last_year(rows, *, title: str, chart_id: str) -> SafeString:
    """Bars per month: this year (solid) beside last year (pale), with the month's target as a tick."""
    rows = list(rows)
    height = 220
    bottom = height - 28
    highest = max([max(row.net, row.last_year or 0, row.target or 0) for row in rows] + [Decimal(1)])
    slot = (WIDTH - 60) / max(len(rows), 1)
    bar = slot * 0.36
    body = [f'<line x1="56" x2="{WIDTH}" y1="{bottom}" y2="{bottom}" class="chart-axis"/>']
    body.append(f'<text x="52" y="14" text-anchor="end" class="chart-value">{escape(compact_baht(highest))}</text>')
    for index, row in enumerate(rows):
        left = 60 + index * slot
        for offset, value, css, name in (
            (0, row.last_year or Decimal(0), "chart-bar-last", _("Last year")),
            (bar, row.net, "chart-bar", _("This year")),
        ):
            size = int((bottom - 20) * max(value, 0) / highest)
            body.append(
                f'<rect x="{left + offset:.1f}" y="{bottom - size}" width="{bar:.1f}" height="{size}" class="{css}">'
                f"<title>{escape(row.label)} {escape(name)}: {escape(compact_baht(value))}</title></rect>"
            )
        if row.target:
            at = bottom - int((bottom - 20) * row.target / highest)
            body.append(f'<line x1="{left:.1f}" x2="{left + 2 * bar:.1f}" y1="{at}" y2="{at}" class="chart-target"/>')
        body.append(
            f'<text x="{left + bar:.1f}" y="{bottom + 16}" text-anchor="middle" class="chart-label">'
            f"{escape(row.label)}</text>"
        )
    return _svg(height, title, body, chart_id)


def progress(net: Decimal, target: Decimal | None, forecast: Decimal | None, *, title: str) -> SafeString:
    """A bar of the year so far against the target, the forecast as a pale extension."""
    height = 40
    if not target:
        return _svg(height, title, [], "progress")
    span = WIDTH - 4
    scale = max(target, forecast or 0, net)
    done = int(span * max(net, 0) / scale)
    body = [f'<rect x="2" y="8" width="{span}" height="20" class="chart-track"/>']
    if forecast:
        body.append(f'<rect x="2" y="8" width="{int(span * forecast / scale)}" height="20" class="chart-bar-last"/>')
    body.append(f'<rect x="2" y="8" width="{done}" height="20" class="chart-bar"/>')
    at = 2 + int(span * target / scale)
    body.append(f'<line x1="{at}" x2="{at}" y1="2" y2="36" class="chart-target"/>')
    return _svg(height, title, body, "progress")


# --- the district map -------------------------------------------------------------------------

TILE = 84
TILE_GAP = 4
MAP_CLASSES = 5
NAME_CHARACTERS = 11


@cache
def _tile_layouts() -> dict[str, dict[str, tuple[int, int]]]:
    text = (Path(__file__).parent / "data" / "district_tiles.json").read_text(encoding="utf-8")
    return {
        province: {code: (place[0], place[1]) for code, place in tiles.items()}
        for province, tiles in json.loads(text).items()
        if not province.startswith("_")
    }


def tile_layout(codes: list[str]) -> dict[str, tuple[int, int]] | None:
    """The tile grid holding every one of these districts, or None (then the page shows bars and the table)."""
    wanted = set(codes)
    for layout in _tile_layouts().values():
        if wanted and wanted <= set(layout):
            return layout
    return None


def map_classes(values: list[Decimal]) -> list[int]:
    """Each value's shade, 1 (lowest) to 5 (highest) by rank among the values above zero; 0 for none."""
    ranked = sorted(value for value in values if value > 0)
    shades = []
    for value in values:
        if value <= 0:
            shades.append(0)
            continue
        below = sum(1 for other in ranked if other < value)
        # Spread over the five shades by rank: the lowest seller the palest, the highest always the darkest.
        shades.append(MAP_CLASSES if len(ranked) == 1 else 1 + round(below * (MAP_CLASSES - 1) / (len(ranked) - 1)))
    return shades


def district_map(rows, *, title: str, link: str = "") -> SafeString:
    """The province's districts as squares placed roughly where they lie, shaded by net sales (five classes by
    rank), each a link to the district's producers with its name, sales and share of target for screen readers.
    Empty when the province has no tile layout."""
    rows = [row for row in rows if row.key and row.key != "other"]
    layout = tile_layout([row.key for row in rows])
    if layout is None:
        return mark_safe("")  # noqa: S308 - nothing in it
    shades = map_classes([row.net for row in rows])
    columns = max(column for column, _row in layout.values()) + 1
    lines = max(line for _column, line in layout.values()) + 1
    legend_top = lines * TILE + 10
    width, height = columns * TILE, legend_top + 48
    body = []
    for row, shade in zip(rows, shades, strict=True):
        column, line = layout[row.key]
        x, y = column * TILE + TILE_GAP / 2, line * TILE + TILE_GAP / 2
        size = TILE - TILE_GAP
        name = row.label if len(row.label) <= NAME_CHARACTERS else row.label[: NAME_CHARACTERS - 1] + "…"
        described = f"{row.label}: {compact_baht(row.net)}"
        if row.target:
            described += " · " + _("%(percent)s%% of target") % {"percent": row.percent_of_target}
        dark = " map-text-dark" if shade >= 4 else ""
        tile = (
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{size}" height="{size}" rx="6" class="map-tile map-{shade}"/>'
            f'<text x="{x + size / 2:.0f}" y="{y + size / 2 - 6:.0f}" text-anchor="middle" '
            f'class="map-name{dark}">{escape(name)}</text>'
            f'<text x="{x + size / 2:.0f}" y="{y + size / 2 + 16:.0f}" text-anchor="middle" '
            f'class="map-value{dark}">{escape(compact_baht(row.net))}</text>'
        )
        if link:
            body.append(
                f'<a href="{escape(link.replace("CODE", row.key))}" aria-label="{escape(described)}">'
                f"<title>{escape(described)}</title>{tile}</a>"
            )
        else:
            body.append(f'<g role="img" aria-label="{escape(described)}"><title>{escape(described)}</title>{tile}</g>')
    swatch = (width - 8) / (MAP_CLASSES + 1)
    labels = [_("No sales"), _("Lowest fifth"), "", "", "", _("Highest fifth")]
    for shade in range(MAP_CLASSES + 1):
        left = 4 + shade * swatch
        body.append(f'<rect x="{left:.0f}" y="{legend_top}" width="{swatch - 4:.0f}" height="14" '
                    f'class="map-tile map-{shade}"/>')  # fmt: skip
        if labels[shade]:
            body.append(f'<text x="{left:.0f}" y="{legend_top + 34}" class="map-legend">{escape(labels[shade])}</text>')
    return mark_safe(  # noqa: S308 - every text put in is escaped above
        f'<svg class="chart district-map" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="district-map-title" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="district-map-title">{escape(title)}</title>{"".join(body)}</svg>'
    )
