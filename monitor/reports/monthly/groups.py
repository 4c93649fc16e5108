"""Views across apps: department / category / tier breakdowns, rankings and the watch-list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from alerting.model import Incident
from monitor.reports.monthly.figures import Tally
from monitor.reports.monthly.model import AppFigures, GroupFigures, Rankings, WatchEntry
from monitor.reports.slastats import IncidentFigures

# Apps per ranking: a page shows a top ten; the full per-app table is there for the rest.
RANKING_SIZE: Final = 10
# DOMAIN.md low-availability rule: at least this share of a week's probes failed.
WEEK_FAILED_LIMIT_PCT: Final = 5
DIMENSIONS: Final = ("department", "category", "tier")

# Watch-list reasons (codes in the JSON; pages translate them).
WATCH_BELOW_TARGET: Final = "availability_below_target"
WATCH_WEEK_FAILED: Final = "week_failed_probes"
WATCH_NO_DATA: Final = "no_probes"

FiguresOf = Callable[[Sequence[Incident]], IncidentFigures]


def below_target(app: AppFigures, target_pct: float) -> bool:
    # Comparing the truncated value is exact: truncation never lifts a value over the target.
    pct = app.usage.availability_pct
    return pct is not None and pct < target_pct


def _key(app: AppFigures, dimension: str) -> str:
    return str(getattr(app, dimension)) or "-"


def breakdowns(
    apps: Sequence[AppFigures],
    incidents: dict[str, list[Incident]],
    figures_of: FiguresOf,
    target_pct: float,
) -> tuple[GroupFigures, ...]:
    """Groups of every dimension, each dimension ranked: best availability first (no data
    last), ties by key."""
    out: list[GroupFigures] = []
    for dimension in DIMENSIONS:
        members: dict[str, list[AppFigures]] = {}
        for app in apps:
            members.setdefault(_key(app, dimension), []).append(app)
        groups = [_group(dimension, key, group, incidents=incidents,
                         figures_of=figures_of, target_pct=target_pct)
                  for key, group in members.items()]
        groups.sort(key=lambda g: (g.usage.availability_pct is None,
                                   -(g.usage.availability_pct or 0.0), g.key))
        out.extend(_ranked(g, n) for n, g in enumerate(groups, 1))
    return tuple(out)


def _group(dimension: str, key: str, apps: list[AppFigures], *,
           incidents: dict[str, list[Incident]], figures_of: FiguresOf, target_pct: float
           ) -> GroupFigures:
    tally = Tally()
    for app in apps:
        tally.probes += app.usage.probes
        tally.failed += app.usage.failed_probes
    mine = [i for app in apps for i in incidents.get(app.id, ())]
    return GroupFigures(
        dimension=dimension, key=key, rank=0, apps=tuple(a.id for a in apps),
        usage=tally.usage(), incidents=figures_of(mine),
        below_target=sum(1 for a in apps if below_target(a, target_pct)),
    )


def _ranked(group: GroupFigures, rank: int) -> GroupFigures:
    return GroupFigures(group.dimension, group.key, rank, group.apps, group.usage,
                        group.incidents, group.below_target)


def rankings(apps: Sequence[AppFigures]) -> Rankings:
    lowest = sorted((a for a in apps if a.usage.availability_pct is not None),
                    key=lambda a: (a.usage.availability_pct, a.id))
    slowest = sorted((a for a in apps if a.latency.p95_ms is not None),
                     key=lambda a: (-(a.latency.p95_ms or 0.0), a.id))
    busiest = sorted((a for a in apps if a.incidents.count),
                     key=lambda a: (-a.incidents.count, a.id))
    return Rankings(
        lowest_availability=tuple(a.id for a in lowest[:RANKING_SIZE]),
        slowest_p95=tuple(a.id for a in slowest[:RANKING_SIZE]),
        most_incidents=tuple(a.id for a in busiest[:RANKING_SIZE]),
    )


def watch_list(apps: Sequence[AppFigures], target_pct: float) -> tuple[WatchEntry, ...]:
    """Apps meeting a low-availability rule (DOMAIN.md), lowest availability first."""
    entries = []
    for app in apps:
        reasons = []
        if app.usage.probes == 0:
            reasons.append(WATCH_NO_DATA)
        if below_target(app, target_pct):
            reasons.append(WATCH_BELOW_TARGET)
        week = app.worst_week_failed_pct
        if week is not None and week >= WEEK_FAILED_LIMIT_PCT:
            reasons.append(WATCH_WEEK_FAILED)
        if reasons:
            entries.append(WatchEntry(app.id, app.name, app.department,
                                      app.usage.availability_pct, week, tuple(reasons)))
    entries.sort(key=lambda e: (e.availability_pct is not None, e.availability_pct or 0.0,
                                e.app_id))
    return tuple(entries)
