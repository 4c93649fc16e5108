"""Inline SVG charts for the report pages, written by hand: no JavaScript, no external files.

The same markup is shown by a browser and drawn by WeasyPrint into the PDF, so only plain SVG
1.1 is used (rect, line, polyline, circle, text) with presentation attributes rather than CSS
classes for colours: WeasyPrint's SVG renderer does not apply the page's stylesheet inside
<svg>. Classes are still set (bar, point, target, marker) so tests can count what was drawn.
Every chart has a viewBox; the page's CSS scales it to the column width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from monitor.reports.fmt import GOOD_PCT, percent_text  # bars shaded like the table cells

FONT: Final = "Noto Sans CJK SC, Noto Serif CJK SC, sans-serif"
GOOD, FAIR, POOR, GREY, INK, BLUE = "#16a34a", "#d97706", "#dc2626", "#cbd5e1", "#334155", "#2563eb"
# Steps the value axis may use: the first that keeps the axis to at most MAX_TICKS intervals.
_STEPS: Final = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50,
                 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000)
MAX_TICKS: Final = 5
LABEL_CHARS: Final = 12  # category labels longer than this are cut (with "…")


@dataclass(frozen=True, slots=True)
class Plot:
    """The drawing area inside a chart of width x height with margins for the axes."""

    width: float
    height: float
    left: float = 46
    right: float = 12
    top: float = 14
    bottom: float = 24

    @property
    def x0(self) -> float:
        return self.left

    @property
    def x1(self) -> float:
        return self.width - self.right

    @property
    def y0(self) -> float:  # the bottom of the plot, where the axis minimum is
        return self.height - self.bottom

    @property
    def y1(self) -> float:
        return self.top

    def y(self, value: float, lo: float, hi: float) -> float:
        span = hi - lo or 1.0
        clamped = min(max(value, lo), hi)
        return self.y0 - (clamped - lo) / span * (self.y0 - self.y1)


def num(value: float) -> str:
    """Coordinates to 0.1 px: enough for print, short markup for a thousand-app page."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def label_text(x: float, y: float, content: str, *, size: float = 9, anchor: str = "middle",
          fill: str = INK) -> str:
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size:g}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(content)}</text>')


def svg(plot: Plot, title: str, parts: Sequence[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
            f'viewBox="0 0 {num(plot.width)} {num(plot.height)}" width="{num(plot.width)}" '
            f'height="{num(plot.height)}" role="img" aria-label={quoteattr(title)} '
            f'font-family={quoteattr(FONT)}><title>{escape(title)}</title>')
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704 - every value is escaped above


def nice_step(span: float) -> float:
    return next((s for s in _STEPS if span / s <= MAX_TICKS), _STEPS[-1])


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def value_axis(plot: Plot, lo: float, hi: float, step: float, unit: str = "") -> list[str]:
    parts, places = [], _decimals(step)
    tick = lo
    while tick <= hi + step / 1000:
        y = plot.y(tick, lo, hi)
        parts.append(f'<line x1="{num(plot.x0)}" y1="{num(y)}" x2="{num(plot.x1)}" y2="{num(y)}" '
                     f'stroke="#e2e8f0" stroke-width="0.6"/>')
        parts.append(label_text(plot.x0 - 4, y + 3, f"{tick:.{places}f}{unit}", size=8,
                                anchor="end"))
        tick += step
    return parts


def _colour(pct: float, target: float) -> str:
    if pct >= GOOD_PCT:
        return GOOD
    return FAIR if pct >= target else POOR


def availability_bars(days: Sequence[tuple[str, float | None]], target: float,
                      title: str) -> Markup:
    """Daily availability (date, pct) as bars, coloured like the table cells, with the target
    as a dashed line. The axis starts a little below the lowest of bars and target, since a
    0-100 axis would flatten every difference that matters (99.9 against 99.0)."""
    plot = Plot(680, 190)
    values = [v for _, v in days if v is not None]
    low = min([*values, target])
    step = nice_step(max(100.0 - low, 0.01) * 1.25)
    lo = max(0.0, math.floor((low - step / 2) / step) * step)
    parts = value_axis(plot, lo, 100.0, step)
    slot = (plot.x1 - plot.x0) / max(1, len(days))
    for index, (date, pct) in enumerate(days):
        x = plot.x0 + index * slot
        parts.append(label_text(x + slot / 2, plot.y0 + 12, date[-2:].lstrip("0"), size=8))
        if pct is None:
            continue
        top = plot.y(pct, lo, 100.0)
        parts.append(f'<rect class="bar" x="{num(x + slot * 0.15)}" y="{num(top)}" '
                     f'width="{num(slot * 0.7)}" height="{num(max(plot.y0 - top, 0.8))}" '
                     f'fill="{_colour(pct, target)}">'
                     f'<title>{escape(date)} {percent_text(pct)}</title>'
                     f'</rect>')
    y = plot.y(target, lo, 100.0)
    parts.append(f'<line class="target" x1="{num(plot.x0)}" y1="{num(y)}" x2="{num(plot.x1)}" '
                 f'y2="{num(y)}" stroke="{POOR}" stroke-width="1" stroke-dasharray="4 3"/>')
    return svg(plot, title, parts)


def line_chart(days: Sequence[tuple[str, float | None]], title: str) -> Markup:
    """A daily series (daily p95) as a line with a dot per day that has a value; days without
    one break the line rather than joining across the gap."""
    plot = Plot(680, 170)
    values = [v for _, v in days if v is not None]
    step = nice_step(max(values, default=1.0) or 1.0)
    hi = step * max(1, math.ceil(max(values, default=1.0) / step))
    parts = value_axis(plot, 0.0, hi, step)
    slot = (plot.x1 - plot.x0) / max(1, len(days))
    segment: list[str] = []
    dots: list[str] = []
    for index, (date, value) in enumerate(days):
        x = plot.x0 + (index + 0.5) * slot
        parts.append(label_text(x, plot.y0 + 12, date[-2:].lstrip("0"), size=8))
        if value is None:
            parts.extend(polyline(segment))
            segment = []
            continue
        y = plot.y(value, 0.0, hi)
        segment.append(f"{num(x)},{num(y)}")
        dots.append(f'<circle class="point" cx="{num(x)}" cy="{num(y)}" r="2.2" fill="{BLUE}">'
                    f'<title>{escape(date)} {value:.1f}</title></circle>')
    parts.extend(polyline(segment))
    return svg(plot, title, parts + dots)


def polyline(points: list[str]) -> list[str]:
    if len(points) < 2:
        return []
    return [f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLUE}" '
            f'stroke-width="1.5"/>']


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def horizontal_bars(items: Sequence[tuple[str, int]], title: str) -> Markup:
    """Counts by category (incidents by department), one labelled bar each, in given order."""
    row = 18
    plot = Plot(680, 16 + row * max(1, len(items)), left=170, right=40, top=8, bottom=8)
    top = max((count for _, count in items), default=0) or 1
    parts = []
    for index, (name, count) in enumerate(items):
        y = plot.top + index * row
        width = (plot.x1 - plot.x0) * count / top
        parts.append(label_text(plot.x0 - 6, y + 12, _cut(name), size=9, anchor="end"))
        parts.append(f'<rect class="bar" x="{num(plot.x0)}" y="{num(y + 3)}" '
                     f'width="{num(max(width, 0.8))}" height="{row - 6}" fill="{FAIR}"/>')
        parts.append(label_text(plot.x0 + width + 4, y + 12, str(count), size=9, anchor="start"))
    return svg(plot, title, parts)
