"""Bar charts drawn on the server as SVG: no script, no external library, in
the site's CSP. Each chart is an image with a title and a description for
screen readers (role="img", aria-labelledby); the page shows the same
figures as a table beside it."""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
BAR_SPACE = 360
VALUE_SPACE = 50
_ids = count(1)


def bar_chart(title: str, description: str, items: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest."""
    number = next(_ids)
    top = max((value for _, value in items), default=0) or 1
    height = max(len(items), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_SPACE + VALUE_SPACE
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{number}-title">{escape(title)}</title>',
        f'<desc id="chart-{number}-desc">{escape(description)}</desc>',
    ]
    for row, (label, value) in enumerate(items):
        y = GAP + row * (BAR_HEIGHT + GAP)
        length = round(BAR_SPACE * value / top)
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}" '
            'class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" dominant-baseline="middle" '
            f'class="chart-value">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
