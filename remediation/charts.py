"""Server-rendered SVG charts: no JavaScript, no CDN, readable at a glance.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (referenced by
``aria-labelledby``), values written next to every bar, and a legend in text. The page shows
the data table alongside, so nothing is conveyed by colour or shape alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.display import gbp


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


COUNT_SERIES = (
    Series("received", "Received", "#1f4f8a"),
    Series("upheld", "Upheld", "#8a4b00"),
    Series("breached", "Breached", "#a4161a"),
)


def _fmt(value: object) -> str:
    if isinstance(value, Decimal):
        return gbp(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _legend(series: tuple[Series, ...], x: int, y: int) -> list[str]:
    parts = []
    for s in series:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{s.colour}"/>'
            f'<text x="{x + 16}" y="{y}" class="chart-legend">{escape(s.label)}</text>'
        )
        x += 24 + 8 * len(s.label)
    return parts


def _open_svg(
    chart_id: str, width: float, height: float, title: str, desc: str, legend: list[str]
) -> list[str]:
    """The accessible opening of a chart: its title and description, then the legend."""
    return [
        f'<svg id="{chart_id}" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        *legend,
    ]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    rows: list,
    series: tuple[Series, ...] = COUNT_SERIES,
    label_width: int = 260,
) -> SafeString:
    """Horizontal grouped bars: one group per row, one bar per series."""
    bar, gap, width = 14, 10, 760
    plot = width - label_width - 70
    group = bar * len(series) + gap
    height = 40 + max(len(rows), 1) * group
    peak = max([getattr(r, s.key) for r in rows for s in series] + [1])
    out = _open_svg(chart_id, width, height, title, desc, _legend(series, label_width, 16))
    if not rows:
        out.append(f'<text x="{label_width}" y="44" class="chart-label">No complaints</text>')
    y = 30
    for row in rows:
        label = str(row.label)
        short = label if len(label) <= 38 else label[:37] + "…"
        mid = y + (bar * len(series)) / 2 + 4
        out.append(
            f'<text x="{label_width - 8}" y="{mid:.0f}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        for i, s in enumerate(series):
            value = getattr(row, s.key)
            w = 0 if not value else max(2, float(value) / float(peak) * plot)
            by = y + i * bar
            out.append(
                f'<rect x="{label_width}" y="{by}" width="{w:.1f}" height="{bar - 2}" '
                f'fill="{s.colour}"><title>{escape(label)}: {escape(s.label)} '
                f"{escape(_fmt(value))}</title></rect>"
                f'<text x="{label_width + w + 4:.1f}" y="{by + bar - 4}" class="chart-value">'
                f"{escape(_fmt(value))}</text>"
            )
        y += group
    out.append("</svg>")
    return mark_safe("".join(out))


def column_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    rows: list,
    series: tuple[Series, ...] = COUNT_SERIES,
) -> SafeString:
    """Vertical grouped columns over time (one group per month)."""
    width, height, left, bottom, top = 760, 300, 40, 40, 34
    plot_h = height - top - bottom
    n = max(len(rows), 1)
    slot = (width - left - 10) / n
    bar = max(3.0, min(16.0, (slot - 6) / len(series)))
    peak = max([getattr(r, s.key) for r in rows for s in series] + [1])
    out = [
        *_open_svg(chart_id, width, height, title, desc, _legend(series, left, 16)),
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#4a5263"/>',
        # The scale's top: money is wider than the margin, so it is written inside the plot.
        f'<text x="{left + 4 if isinstance(peak, Decimal) else left - 6}" y="{top + 4}" '
        f'text-anchor="{"start" if isinstance(peak, Decimal) else "end"}" '
        f'class="chart-value">{escape(_fmt(peak))}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" '
        'class="chart-value">0</text>',
    ]
    for i, row in enumerate(rows):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for j, s in enumerate(series):
            value = getattr(row, s.key)
            h = float(value) / float(peak) * plot_h if value else 0
            x = x0 + j * bar
            out.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar - 1:.1f}" '
                f'height="{h:.1f}" fill="{s.colour}"><title>{escape(str(row.label))}: '
                f"{escape(s.label)} {escape(_fmt(value))}</title></rect>"
            )
        out.append(
            f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" class="chart-label">{escape(str(row.label))}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
