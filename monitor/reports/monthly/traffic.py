"""The month's recorded traffic per app (访问量), from the traffic store's daily counts."""

from __future__ import annotations

from typing import Protocol

from monitor.core.config.model import Config
from monitor.governance.traffic.types import DayTraffic
from monitor.reports.monthly.docmodel import AppTraffic
from monitor.reports.period import Period


class TrafficSource(Protocol):
    """The part of monitor.governance.traffic.store.TrafficStore the report reads."""

    async def daily_all(self, start_day: str, end_day: str) -> list[DayTraffic]: ...


async def app_traffic(source: TrafficSource, config: Config, period: Period
                      ) -> tuple[AppTraffic, ...]:
    """Apps of the configuration with any record in the month, in config order."""
    sums: dict[str, tuple[int, int, int]] = {}
    for day in await source.daily_all(period.dates[0], period.dates[-1]):
        pv, uv, days = sums.get(day.app_id, (0, 0, 0))
        sums[day.app_id] = (pv + day.pv, uv + day.uv, days + 1)
    return tuple(AppTraffic(app.id, app.name, *sums[app.id]) for app in config.apps
                 if app.id in sums)
