"""The app page's charts as data: rollups and daily traffic in, buckets and chart points out
(svgcharts draws them). No I/O.

Chart buckets: the last 24 or 168 UTC hours (day, week; the rollups' own grain), or the last
30 local days (month), each ending with the bucket that holds `now`. All of the app's checks
are summed into one bucket: the app is available when its checks pass. Traffic is one bar a
day over the last 30 local days.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final
from zoneinfo import ZoneInfo

from monitor.console.svgcharts import Point
from monitor.core.durations import weekday
from monitor.governance.traffic.types import DayTraffic
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.types import HourRollup

HOUR_S: Final = 3600.0
RANGES: Final = ("day", "week", "month")
MONTH_DAYS: Final = 30
Translate = Callable[..., str]


@dataclass(frozen=True, slots=True)
class Window:
    start: float
    end: float
    tick: str  # axis label, "" for none
    when: str  # hover label


@dataclass(slots=True)
class Bucket:
    window: Window
    runs: int = 0
    failures: int = 0
    latency_sum_s: float = 0.0
    latency_max_s: float = 0.0
    histogram: LatencyHistogram = field(default_factory=LatencyHistogram)

    @property
    def availability_pct(self) -> float | None:
        return None if not self.runs else 100.0 * (self.runs - self.failures) / self.runs

    @property
    def mean_ms(self) -> float | None:
        count = self.histogram.count
        return self.latency_sum_s * 1000 / count if count else None

    @property
    def p95_ms(self) -> float | None:
        value = self.histogram.quantile(0.95)
        return None if value is None else value * 1000


def windows(range_name: str, now: float, tz: ZoneInfo, lang: str) -> list[Window]:
    """The chart's buckets, oldest first; `range_name` is one of RANGES."""
    if range_name == "month":
        today = dt.datetime.fromtimestamp(now, tz).date()
        days = [today - dt.timedelta(days=MONTH_DAYS - 1 - n) for n in range(MONTH_DAYS + 1)]
        starts = [dt.datetime(d.year, d.month, d.day, tzinfo=tz).timestamp() for d in days]
        return [Window(starts[i], starts[i + 1],
                       f"{d.month}/{d.day}" if (MONTH_DAYS - 1 - i) % 7 == 0 else "",
                       d.isoformat()) for i, d in enumerate(days[:-1])]
    hours = 24 if range_name == "day" else 24 * 7
    end = (now // HOUR_S + 1) * HOUR_S
    out = []
    for n in range(hours):
        start = end - (hours - n) * HOUR_S
        local = dt.datetime.fromtimestamp(start, tz)
        if range_name == "day":
            tick = f"{local.hour:02d}:00" if local.hour % 6 == 0 else ""
        else:
            tick = weekday(local.weekday(), lang) if local.hour == 0 else ""
        out.append(Window(start, start + HOUR_S, tick, local.strftime("%m-%d %H:00")))
    return out


def buckets(wins: Sequence[Window], rollups: Iterable[HourRollup]) -> list[Bucket]:
    """Rollups (of any of the app's checks) summed into the windows they start in."""
    out = [Bucket(w) for w in wins]
    starts = [w.start for w in wins]
    for rollup in rollups:
        index = bisect.bisect_right(starts, rollup.hour_start) - 1
        if index < 0 or rollup.hour_start >= wins[index].end:
            continue
        bucket = out[index]
        bucket.runs += rollup.runs
        bucket.failures += rollup.failures
        bucket.latency_sum_s += rollup.latency_sum_s
        bucket.latency_max_s = max(bucket.latency_max_s, rollup.latency_max_s)
        bucket.histogram.add(rollup.histogram)
    return out


def pct_text(pct: float | None) -> str:
    if pct is None:
        return "—"
    return "100%" if pct >= 100.0 else f"{min(pct, 99.999):.3f}".rstrip("0").rstrip(".") + "%"


def ms_text(ms: float | None) -> str:
    return "—" if ms is None else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def availability_points(items: Sequence[Bucket], t: Translate) -> list[Point]:
    return [Point(b.availability_pct,
                  t("hover.availability", when=b.window.when, pct=pct_text(b.availability_pct),
                    runs=b.runs, failures=b.failures) if b.runs
                  else t("hover.none", when=b.window.when), b.window.tick) for b in items]


def latency_points(items: Sequence[Bucket], t: Translate) -> list[Point]:
    return [Point(b.p95_ms,
                  t("hover.latency", when=b.window.when, avg=ms_text(b.mean_ms),
                    p95=ms_text(b.p95_ms), max=ms_text(b.latency_max_s * 1000))
                  if b.histogram.count else t("hover.none", when=b.window.when),
                  b.window.tick, b.mean_ms) for b in items]


def overall(items: Sequence[Bucket]) -> tuple[int, int, float | None]:
    runs = sum(b.runs for b in items)
    failures = sum(b.failures for b in items)
    return runs, failures, (100.0 * (runs - failures) / runs if runs else None)


@dataclass(frozen=True, slots=True)
class TrafficView:
    today: DayTraffic | None
    yesterday: DayTraffic | None
    total_pv: int
    mean_uv: int  # over the days that have figures
    points: tuple[Point, ...]

    @property
    def has_data(self) -> bool:
        return any(p.value is not None for p in self.points)


def traffic_view(days: Sequence[DayTraffic], today: str, t: Translate) -> TrafficView:
    """The last MONTH_DAYS days up to `today` (YYYY-MM-DD): figures and a PV bar per day."""
    last = dt.date.fromisoformat(today)
    dates = [(last - dt.timedelta(days=MONTH_DAYS - 1 - n)).isoformat()
             for n in range(MONTH_DAYS)]
    by_day = {d.day: d for d in days}
    points = []
    for index, date in enumerate(dates):
        found = by_day.get(date)
        tick = f"{int(date[5:7])}/{int(date[8:])}" if (MONTH_DAYS - 1 - index) % 7 == 0 else ""
        hover = (t("hover.traffic", when=date, pv=found.pv, uv=found.uv) if found
                 else t("hover.none", when=date))
        points.append(Point(float(found.pv) if found else None, hover, tick))
    seen = [by_day[d] for d in dates if d in by_day]
    return TrafficView(
        today=by_day.get(dates[-1]), yesterday=by_day.get(dates[-2]),
        total_pv=sum(d.pv for d in seen),
        mean_uv=round(sum(d.uv for d in seen) / len(seen)) if seen else 0,
        points=tuple(points))
