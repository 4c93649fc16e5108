"""The analysis report's charts: one check's runs and latency per minute around an incident.

The time axis is proportional (a minute without results is a gap, not squeezed out), so the
outage reads as a block of red with the check healthy either side; vertical markers show when
the incident was opened, acknowledged and resolved. Same plain-SVG rules as charts.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape

from markupsafe import Markup

from monitor.reports.charts import (
    BLUE,
    GOOD,
    INK,
    POOR,
    Plot,
    label_text,
    nice_step,
    num,
    polyline,
    svg,
    value_axis,
)
from monitor.reports.incident.model import MinuteBucket

MINUTE_S: Final = 60.0
# Time-axis steps in minutes: the first giving at most MAX_TIME_TICKS labels.
_TIME_STEPS: Final = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
MAX_TIME_TICKS: Final = 8
MARKER_ROW_PX: Final = 9  # height of one row of marker labels above the plot


@dataclass(frozen=True, slots=True)
class Marker:
    at: float
    label: str
    colour: str = INK


@dataclass(frozen=True, slots=True)
class Window:
    """What the time axis shows, and how its labels read (HH:MM in the report's zone)."""

    start: float
    end: float
    clock: Callable[[float], str]
    markers: Sequence[Marker] = ()

    def x(self, plot: Plot, ts: float) -> float:
        span = self.end - self.start or 1.0
        return plot.x0 + (ts - self.start) / span * (plot.x1 - plot.x0)


def _time_axis(plot: Plot, window: Window) -> list[str]:
    span_min = (window.end - window.start) / MINUTE_S
    step = next((s for s in _TIME_STEPS if span_min / s <= MAX_TIME_TICKS), _TIME_STEPS[-1])
    step_s = step * MINUTE_S
    parts = []
    tick = (window.start // step_s + 1) * step_s  # whole steps (UTC; whole minutes locally)
    while tick < window.end:
        x = window.x(plot, tick)
        parts.append(f'<line x1="{num(x)}" y1="{num(plot.y0)}" x2="{num(x)}" '
                     f'y2="{num(plot.y0 + 3)}" stroke="{INK}" stroke-width="0.6"/>')
        parts.append(label_text(x, plot.y0 + 13, window.clock(tick), size=8))
        tick += step_s
    return parts


def _markers(plot: Plot, window: Window) -> list[str]:
    parts = []
    shown = [m for m in window.markers if window.start <= m.at <= window.end]
    for index, marker in enumerate(shown):
        x = window.x(plot, marker.at)
        # Alternate two label rows above the plot: opened and acknowledged are often minutes
        # apart, which is a few pixels on a two-hour axis.
        y = MARKER_ROW_PX * (1 + index % 2)
        parts.append(f'<line class="marker" x1="{num(x)}" y1="{num(y + 2)}" x2="{num(x)}" '
                     f'y2="{num(plot.y0)}" stroke="{marker.colour}" stroke-width="1" '
                     f'stroke-dasharray="3 2"/>')
        parts.append(label_text(x + 2, y, marker.label, size=8, anchor="start",
                                fill=marker.colour))
    return parts


def runs_chart(buckets: Sequence[MinuteBucket], window: Window, title: str) -> Markup:
    """Runs per minute, one bar per minute that had results: green when all passed, with the
    failed runs drawn in red over it."""
    plot = Plot(680, 156, top=24)
    top = max((b.runs for b in buckets), default=1)
    step = max(1.0, nice_step(top))
    hi = step * max(1, -(-top // step))
    parts = value_axis(plot, 0.0, hi, step)
    width = max(1.2, (window.x(plot, window.start + MINUTE_S) - plot.x0) * 0.8)
    for bucket in buckets:
        x = window.x(plot, bucket.at)
        y = plot.y(bucket.runs, 0.0, hi)
        fill = POOR if bucket.failures == bucket.runs else GOOD
        parts.append(f'<rect class="bar" x="{num(x)}" y="{num(y)}" width="{num(width)}" '
                     f'height="{num(plot.y0 - y)}" fill="{fill}"/>')
        if 0 < bucket.failures < bucket.runs:
            fy = plot.y(bucket.failures, 0.0, hi)
            parts.append(f'<rect class="fail" x="{num(x)}" y="{num(fy)}" width="{num(width)}" '
                         f'height="{num(plot.y0 - fy)}" fill="{POOR}"/>')
    return svg(plot, title, parts + _time_axis(plot, window) + _markers(plot, window))


def latency_chart(buckets: Sequence[MinuteBucket], window: Window, title: str) -> Markup:
    """Mean latency per minute of the runs that measured the app (passing and slow); a minute
    of only failed runs has none and breaks the line."""
    plot = Plot(680, 156, top=24)
    values = [b.latency_mean_ms for b in buckets if b.latency_mean_ms is not None]
    step = nice_step(max(values, default=1.0) or 1.0)
    hi = step * max(1, -(-max(values, default=1.0) // step))
    parts = value_axis(plot, 0.0, hi, step)
    segment: list[str] = []
    dots = []
    for bucket in buckets:
        value = bucket.latency_mean_ms
        if value is None:
            parts.extend(polyline(segment))
            segment = []
            continue
        x = window.x(plot, bucket.at + MINUTE_S / 2)
        y = plot.y(value, 0.0, hi)
        segment.append(f"{num(x)},{num(y)}")
        dots.append(f'<circle class="point" cx="{num(x)}" cy="{num(y)}" r="1.8" fill="{BLUE}">'
                    f'<title>{escape(window.clock(bucket.at))} {value:.1f} ms</title></circle>')
    parts.extend(polyline(segment))
    return svg(plot, title, parts + dots + _time_axis(plot, window) + _markers(plot, window))
