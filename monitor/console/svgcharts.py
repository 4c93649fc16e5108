"""Inline SVG charts of the app page: availability and latency per bucket, traffic per day.

Drawn by hand like monitor/reports/charts.py (whose scale helpers are reused), but for the
console: colours for its dark background, a narrow viewBox so labels stay legible when a
375 px phone shrinks the chart to its column, width 100% so it fills any column, and a
<title> on every bucket for hover (and for a long press on a phone). Callers give the words
(title, unit, hover text, "no data"), so this module knows no language.

Classes name what was drawn, for tests and CSS: bar (a bucket with data), empty (a bucket
without), down (the unavailable share of an availability bucket), avg (the mean line),
legend (the keys on the title line: a swatch of each colour or line and what it means).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from monitor.reports.charts import Plot, nice_step, num
from monitor.reports.fmt import GOOD_PCT

WIDTH: Final = 360.0  # viewBox units: at 375 px a 10-unit label still reads as ~9 px
HEIGHT: Final = 150.0
FONT_SIZE: Final = 10
TEXT, GRID, EMPTY = "#94a3b8", "#334155", "#94a3b8"  # EMPTY is drawn at 5 % opacity
GOOD, FAIR, POOR, BLUE, LINE = "#22c55e", "#f59e0b", "#ef4444", "#3b82f6", "#f8fafc"


@dataclass(frozen=True, slots=True)
class Point:
    """One bucket: `value` is what the bar shows (None: no data), `line` an optional second
    series drawn as a line (the mean latency), `tick` its axis label or "", `hover` the
    <title> text."""

    value: float | None
    hover: str
    tick: str = ""
    line: float | None = None


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of a chart's legend: a swatch (a box of a bar's colour, or a line) and what
    it stands for. `colour` is one of this module's colours (GOOD, FAIR, POOR, BLUE, LINE,
    EMPTY)."""

    label: str
    colour: str
    shape: str = "box"  # box | line


@dataclass(frozen=True, slots=True)
class Words:
    title: str
    unit: str  # after the value-axis numbers: "%" or " ms"
    no_data: str
    legend: str = ""  # a text legend at the right of the title (used when `keys` is empty)
    keys: tuple[Key, ...] = ()  # the legend's swatches, at the right of the title


def _text_width(content: str) -> float:
    """About a label's width: CJK characters are square, digits and Latin narrower."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in content) * FONT_SIZE


def _legend(keys: Sequence[Key]) -> str:
    """The keys right-aligned on the title line: swatch, label, a gap, the next."""
    swatch, pad, gap = 8.0, 3.0, 9.0
    x = WIDTH - sum(swatch + pad + _text_width(k.label) + gap for k in keys) + gap
    parts = []
    for key in keys:
        if key.shape == "line":
            mark = (f'<line x1="{num(x)}" y1="7" x2="{num(x + swatch)}" y2="7" '
                    f'stroke="{key.colour}" stroke-width="1.6"/>')
        else:
            opacity = ' fill-opacity="0.25"' if key.colour == EMPTY else ""
            mark = (f'<rect x="{num(x)}" y="3" width="{num(swatch)}" height="{num(swatch)}" '
                    f'fill="{key.colour}"{opacity}/>')
        label = _text(x + swatch + pad, 11, key.label, anchor="start")
        parts.append(f'<g class="key" data-colour="{key.colour}">{mark}{label}</g>')
        x += swatch + pad + _text_width(key.label) + gap
    return f'<g class="legend">{"".join(parts)}</g>'


def _plot() -> Plot:
    return Plot(WIDTH, HEIGHT, left=40, right=6, top=22, bottom=18)


def _text(x: float, y: float, content: str, *, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text{klass} x="{num(x)}" y="{num(y)}" font-size="{FONT_SIZE}" '
            f'text-anchor="{anchor}" fill="{TEXT}">{escape(content)}</text>')


def _svg(words: Words, parts: Sequence[str], kind: str) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" '
            f'viewBox="0 0 {num(WIDTH)} {num(HEIGHT)}" width="100%" '
            f'preserveAspectRatio="xMidYMid meet" role="img" '
            f'aria-label={quoteattr(words.title)}><title>{escape(words.title)}</title>')
    caption = _text(0, 11, words.title, anchor="start")
    if words.keys:
        caption += _legend(words.keys)
    elif words.legend:
        caption += _text(WIDTH, 11, words.legend, anchor="end")
    return Markup(head + caption + "".join(parts) + "</svg>")  # noqa: S704 - all escaped


def _axis(plot: Plot, hi: float, step: float, unit: str) -> list[str]:
    parts = []
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    tick = 0.0
    while tick <= hi + step / 1000:
        y = plot.y(tick, 0.0, hi)
        parts.append(f'<line x1="{num(plot.x0)}" y1="{num(y)}" x2="{num(plot.x1)}" '
                     f'y2="{num(y)}" stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(plot.x0 - 3, y + 3.5, f"{tick:.{places}f}{unit}", anchor="end"))
        tick += step
    return parts


def _ticks(plot: Plot, points: Sequence[Point], slot: float) -> list[str]:
    """Labels centred under their bucket, but kept inside the chart: the last bucket's label
    (today, the current hour) would otherwise be cut at the right edge."""
    parts = []
    for index, point in enumerate(points):
        if point.tick:
            # About half the label's width: CJK characters are square, digits narrower.
            half = sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in point.tick) * FONT_SIZE / 2
            x = min(max(plot.x0 + (index + 0.5) * slot, half), WIDTH - half)
            parts.append(_text(x, plot.y0 + 13, point.tick))
    return parts


def _no_data(plot: Plot, words: Words) -> str:
    return _text((plot.x0 + plot.x1) / 2, (plot.y0 + plot.y1) / 2, words.no_data, cls="nodata")


def _empty(x: float, width: float, plot: Plot, hover: str) -> str:
    """A bucket without data: a faint column, so hovering still tells what is missing."""
    return (f'<rect class="empty" x="{num(x)}" y="{num(plot.y1)}" width="{num(width)}" '
            f'height="{num(plot.y0 - plot.y1)}" fill="{EMPTY}" fill-opacity="0.05">'
            f'<title>{escape(hover)}</title></rect>')


def _colour(pct: float) -> str:
    """Green from three nines, amber below: the red is kept for the unavailable share."""
    return GOOD if pct >= GOOD_PCT else FAIR


def availability_chart(points: Sequence[Point], words: Words) -> Markup:
    """Availability per bucket on a 0-100 % axis: the available share as a coloured bar, the
    rest of the column in red, so an outage reads as red from afar even at 375 px."""
    plot = _plot()
    parts = _axis(plot, 100.0, 25.0, words.unit)
    slot = (plot.x1 - plot.x0) / max(1, len(points))
    gap = slot * 0.12 if slot > 3 else 0.0
    for index, point in enumerate(points):
        x, width = plot.x0 + index * slot + gap / 2, slot - gap
        if point.value is None:
            parts.append(_empty(x, width, plot, point.hover))
            continue
        top = plot.y(point.value, 0.0, 100.0)
        title = f"<title>{escape(point.hover)}</title>"
        if point.value < 100.0:
            parts.append(f'<rect class="down" x="{num(x)}" y="{num(plot.y1)}" '
                         f'width="{num(width)}" height="{num(top - plot.y1)}" fill="{POOR}">'
                         f'{title}</rect>')
        parts.append(f'<rect class="bar" x="{num(x)}" y="{num(top)}" width="{num(width)}" '
                     f'height="{num(plot.y0 - top)}" fill="{_colour(point.value)}">{title}'
                     f'</rect>')
    if all(p.value is None for p in points):
        parts.append(_no_data(plot, words))
    return _svg(words, parts + _ticks(plot, points, slot), "availability")


def value_chart(points: Sequence[Point], words: Words, kind: str = "latency") -> Markup:
    """Values from zero (latency p95, daily visits) as bars, `line` values (mean latency) as
    a line across them; a bucket without a line value breaks the line."""
    plot = _plot()
    values = [v for p in points for v in (p.value, p.line) if v is not None]
    top = max(values, default=0.0) or 1.0
    step = nice_step(top)
    hi = step * max(1, math.ceil(top / step - 1e-9))
    parts = _axis(plot, hi, step, words.unit)
    slot = (plot.x1 - plot.x0) / max(1, len(points))
    gap = slot * 0.12 if slot > 3 else 0.0
    segments: list[list[str]] = [[]]
    for index, point in enumerate(points):
        x, width = plot.x0 + index * slot + gap / 2, slot - gap
        if point.value is None:
            parts.append(_empty(x, width, plot, point.hover))
        else:
            y = plot.y(point.value, 0.0, hi)
            parts.append(f'<rect class="bar" x="{num(x)}" y="{num(y)}" width="{num(width)}" '
                         f'height="{num(max(plot.y0 - y, 0.6))}" fill="{BLUE}">'
                         f'<title>{escape(point.hover)}</title></rect>')
        if point.line is None:
            segments.append([])
        else:
            segments[-1].append(f"{num(x + width / 2)},{num(plot.y(point.line, 0.0, hi))}")
    for segment in segments:
        if len(segment) > 1:
            parts.append(f'<polyline class="avg" points="{" ".join(segment)}" fill="none" '
                         f'stroke="{LINE}" stroke-width="1.2"/>')
        elif segment:  # a lone mean between gaps: a dot, or it would not show at all
            cx, cy = segment[0].split(",")
            parts.append(f'<circle class="avg" cx="{cx}" cy="{cy}" r="1.5" fill="{LINE}"/>')
    if not values:
        parts.append(_no_data(plot, words))
    return _svg(words, parts + _ticks(plot, points, slot), kind)
