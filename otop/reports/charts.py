"""Charts drawn on the server as SVG: no script runs in the page (the CSP allows none inline).

Each chart has a title and description for screen readers, and every page shows the same numbers in a
table beside it. Bars scale to the largest value; the SVG's viewBox makes it fit a phone's width.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

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
