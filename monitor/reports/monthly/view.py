"""What the monthly page needs beyond the model: charts, lookups and the per-app table's pages.

Only arrangement and pictures; every number shown is a field of MonthlyReport.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeVar

from alerting.payload import iso
from monitor.reports import charts
from monitor.reports.fmt import GOOD_PCT, Formatter
from monitor.reports.monthly.groups import DIMENSIONS, WEEK_FAILED_LIMIT_PCT
from monitor.reports.monthly.model import (
    AppFigures,
    CorrelatedLine,
    GroupFigures,
    IncidentLine,
    MonthlyReport,
    WatchEntry,
)
from monitor.reports.texts import duration_text

T = TypeVar("T")
# Rows of the per-app table per printed page: each chunk is its own table that is kept on
# one page, which keeps WeasyPrint's layout linear in the number of apps (one 1,000-row table
# is laid out again at every page break) and repeats the header on every page.
APP_ROWS_PER_PAGE: Final = 45
# The first page also carries the section heading and the legend.
APP_ROWS_FIRST_PAGE: Final = 40
# Departments drawn in the incidents chart; the rest are summed into one bar.
CHART_DEPARTMENTS: Final = 15


def chunks(items: Sequence[T], size: int, first: int | None = None) -> list[Sequence[T]]:
    """`items` cut into runs of `size`, the first run `first` long (default `size`)."""
    head = size if first is None else first
    out = [items[:head]] if items else []
    out.extend(items[n:n + size] for n in range(head, len(items), size))
    return out


def monthly_context(report: MonthlyReport, f: Formatter) -> dict[str, Any]:
    apps = {app.id: app for app in report.apps}
    lang = report.language
    return {
        "r": report,
        "f": f,
        "lang": lang,
        "period_start": f.at(report.period.start)[:16],
        "period_end": f.at(report.period.end)[:16],
        "generated": iso(report.generated_at, f.tz),
        "response_limit": duration_text(lang, report.sla_response_s),
        "resolution_limit": duration_text(lang, report.sla_resolution_s),
        "request_limit": duration_text(lang, report.requests.response_limit_s)
        if report.requests else "",
        "target": f"{report.availability_target_pct:g}",
        "good_pct": f"{GOOD_PCT:g}",
        "target_met": _met(report),
        "charts": _charts(report, f),
        "app_pages": chunks(report.apps, APP_ROWS_PER_PAGE, APP_ROWS_FIRST_PAGE),
        "dimensions": [(d, report.group(d)) for d in DIMENSIONS],
        "max_group_incidents": max((g.incidents.count for g in report.breakdowns), default=0),
        "group_key": lambda g: _group_key(g, f),
        "rankings": _rankings(report, apps),
        "reasons": lambda entry: _reasons(entry, report, f),
        "scope": lambda scope: _scope(scope, f),
        "incident_rows": incident_rows(report),
    }


def incident_rows(report: MonthlyReport) -> list[tuple[str, CorrelatedLine | IncidentLine]]:
    """The incident list in order, a correlated outage shown once: a ("family", line) row where
    its first incident falls, followed by its apps' incidents as ("child", line) rows; other
    incidents as ("incident", line)."""
    families = {c.id: c for c in report.correlated}
    members: dict[str, list[IncidentLine]] = {}
    for line in report.incidents:
        if line.parent_id in families:
            members.setdefault(line.parent_id, []).append(line)
    rows: list[tuple[str, CorrelatedLine | IncidentLine]] = []
    for line in report.incidents:
        if line.parent_id not in families:
            rows.append(("incident", line))
        elif members[line.parent_id][0] is line:
            rows.append(("family", families[line.parent_id]))
            rows.extend(("child", child) for child in members[line.parent_id])
    return rows


def _met(report: MonthlyReport) -> bool | None:
    pct = report.totals.usage.availability_pct
    return None if pct is None else pct >= report.availability_target_pct


def _charts(report: MonthlyReport, f: Formatter) -> dict[str, Any]:
    days = report.daily
    return {
        "availability": charts.availability_bars(
            [(d.date, d.usage.availability_pct) for d in days], report.availability_target_pct,
            f.t("chart.daily_availability")),
        "p95": charts.line_chart([(d.date, d.p95_ms) for d in days], f.t("chart.daily_p95")),
        "departments": _department_chart(report, f),
    }


def _department_chart(report: MonthlyReport, f: Formatter) -> Any:
    counts = sorted(((g.key, g.incidents.count) for g in report.group("department")
                     if g.incidents.count), key=lambda item: (-item[1], item[0]))
    if not counts:
        return None
    if len(counts) > CHART_DEPARTMENTS:
        rest = counts[CHART_DEPARTMENTS - 1:]
        counts = [*counts[:CHART_DEPARTMENTS - 1],
                  (f.t("chart.others", n=len(rest)), sum(n for _, n in rest))]
    return charts.horizontal_bars(counts, f.t("chart.incidents_by_department"))


def _group_key(group: GroupFigures, f: Formatter) -> str:
    return f.t("tier.n", n=group.key) if group.dimension == "tier" else group.key


def _rankings(report: MonthlyReport, apps: dict[str, AppFigures]
              ) -> list[tuple[str, list[AppFigures]]]:
    r = report.rankings
    return [("lowest_availability", [apps[i] for i in r.lowest_availability]),
            ("slowest_p95", [apps[i] for i in r.slowest_p95]),
            ("most_incidents", [apps[i] for i in r.most_incidents])]


def _reasons(entry: WatchEntry, report: MonthlyReport, f: Formatter) -> str:
    values = {"target": f"{report.availability_target_pct:g}", "week": WEEK_FAILED_LIMIT_PCT}
    return f.join(f.t(f"watch.{code}", **values) for code in entry.reasons)


def _scope(scope: str, f: Formatter) -> str:
    if scope == "*":
        return f.t("scope.all")
    return scope.removeprefix("app:").replace(",", ", ")
