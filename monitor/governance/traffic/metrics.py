"""Today's traffic as Prometheus gauges, for the Grafana wall.

    traffic_metrics = TrafficMetrics(metrics.registry, timezone=config.service.timezone)
    traffic_metrics.update(app, "2026-11-24", pv=1200, uv=310)   # every source summed

A collector rather than two Gauge objects: the figures belong to a day, and at midnight
today's page views are zero whether or not anything was written since. Each scrape therefore
shows the last figures only while their day is still today (in service.timezone), else 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import AppConfig, Config
from monitor.governance.traffic.days import day_of
from monitor.governance.traffic.store import TrafficStore

LABELS: Final = ("app", "department", "tier")


@dataclass(frozen=True, slots=True)
class _Today:
    labels: tuple[str, str, str]
    day: str
    pv: int
    uv: int


class TrafficMetrics(Collector):
    """`appmon_traffic_page_views` / `appmon_traffic_unique_visitors` (gauges, today) and
    `appmon_traffic_pull_failures_total` (counter), registered on the given registry."""

    def __init__(self, registry: CollectorRegistry, *, timezone: str,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        self._tz = ZoneInfo(timezone)
        self._clock = clock
        self._apps: dict[str, _Today] = {}
        self.pull_failures = Counter(
            "appmon_traffic_pull_failures", "Failed traffic pulls (Prometheus or JSON source)",
            ("app", "source"), registry=registry)
        registry.register(self)

    def set_timezone(self, timezone: str) -> None:
        self._tz = ZoneInfo(timezone)

    def update(self, app: AppConfig, day: str, pv: int, uv: int) -> None:
        """The app's totals for `day` (every source summed); figures of an older day than the
        one already shown are ignored (a backfill does not replace today)."""
        current = self._apps.get(app.id)
        if current is not None and day < current.day:
            return
        self._apps[app.id] = _Today((app.id, app.department, str(app.tier)), day, pv, uv)

    async def load_today(self, store: TrafficStore, config: Config) -> None:
        """Show what the store already holds for today (after a restart), every app at once."""
        today = day_of(self._clock.now(), self._tz)
        for entry in await store.daily_all(today, today):
            app = config.app(entry.app_id)
            if app is not None:
                self.update(app, today, entry.pv, entry.uv)

    def forget(self, keep: Iterable[str]) -> None:
        """Drop the series of apps not in `keep` (they left the config)."""
        kept = set(keep)
        for app_id in [a for a in self._apps if a not in kept]:
            del self._apps[app_id]

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterator[Metric]:
        today = day_of(self._clock.now(), self._tz)
        pv, uv = self._families()
        for entry in self._apps.values():
            current = entry.day == today
            pv.add_metric(list(entry.labels), entry.pv if current else 0)
            uv.add_metric(list(entry.labels), entry.uv if current else 0)
        yield pv
        yield uv

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("appmon_traffic_page_views",
                              "Page views today (service.timezone), every source summed",
                              labels=LABELS),
            GaugeMetricFamily("appmon_traffic_unique_visitors",
                              "Unique visitors today (service.timezone), every source summed",
                              labels=LABELS),
        )
