"""Last month's headline figures for the summary's comparison, by this month's rules.

Availability is counted the same way (the apps of the current configuration, their checks'
hourly rollups, maintenance hours left out), and incidents the same way (outages of those
apps opened in that month, a correlated outage once). Only counts are added up: no latency,
so the second month costs a read of its rollups and nothing more.
"""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

from alerting.model import IncidentKind
from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger.types import Ledger
from monitor.reports.monthly.docmodel import PreviousMonth
from monitor.reports.monthly.figures import excluded_hours, window_hours
from monitor.reports.period import MonthError, Period, month_period, truncated_pct
from monitor.reports.reading import incidents_since
from monitor.reports.slastats import incident_figures

# Last month counts as having data when its checks ran in at least this many hours: a monitor
# started on the month's last evening gives no month to compare with.
MIN_HOURS: Final = 24


def month_before(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


async def previous_month(config: Config, ledger: Ledger, store: AlertStore, period: Period,
                         now: float, *, target_pct: float) -> PreviousMonth | None:
    """The month before `period`; None when its checks ran in fewer than MIN_HOURS hours."""
    try:
        before = month_period(month_before(period.month), ZoneInfo(config.service.timezone),
                              now)
    except MonthError:
        return None
    windows = await store.maintenance_between(before.start, before.end)
    hours = [(w, window_hours(w, before)) for w in windows]
    probes = failed = below = 0
    hours_seen: set[int] = set()
    for app in config.apps:
        excluded = excluded_hours(app.id, hours)
        runs = failures = 0
        for check in app.checks:
            for rollup in await ledger.hourly(app.id, check.id, before.start, before.end):
                if rollup.hour_start not in excluded and rollup.runs:
                    hours_seen.add(rollup.hour_start)
                    runs += rollup.runs
                    failures += rollup.failures
        pct = truncated_pct(runs - failures, runs)
        below += pct is not None and pct < target_pct
        probes += runs
        failed += failures
    if len(hours_seen) < MIN_HOURS:
        return None
    known = {app.id for app in config.apps}
    counted = [i for i in await incidents_since(store, before.start)
               if i.opened_at < before.end and i.kind == IncidentKind.OUTAGE
               and i.app_id in known]
    figures = incident_figures(counted, config.sla.response_s, config.sla.resolution_s, now)
    events = len({i.parent_id or i.id for i in counted})
    return PreviousMonth(
        month=before.month, availability_pct=truncated_pct(probes - failed, probes),
        probes=probes, events=events, incidents=figures.count,
        response_within_sla_pct=figures.response_within_sla_pct,
        resolution_within_sla_pct=figures.resolution_within_sla_pct, apps_below_target=below)

