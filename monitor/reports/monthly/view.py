"""What the monthly page needs beyond the model: charts, lookups and the per-app table's pages.

Only arrangement and pictures; every number shown is a field of MonthlyReport.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Final, TypeVar

from alerting.payload import iso
from monitor.reports import charts
from monitor.reports.fmt import GOOD_PCT, Formatter
from monitor.reports.monthly.groups import DIMENSIONS, WEEK_FAILED_LIMIT_PCT, below_target
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
# Up to this many apps, the per-app table lists them all. Beyond it, the table lists the apps
# that need attention and an annex lists every app in compact lines: WeasyPrint spends about
# a millisecond per table cell, so 1,000 apps x 13 cells alone would take well over 10 s.
FULL_TABLE_APPS: Final = 100
# Attention apps in the per-app table when the annex lists the rest.
DETAIL_APPS: Final = 20
# Incident list rows per table: a long table is laid out again at every page break.
INCIDENT_ROWS_PER_TABLE: Final = 25
# Annex lines per table row (a row never splits across pages; the header repeats).
ANNEX_LINES_PER_ROW: Final = 5
# Annex columns: (label key, width in half-width characters, right-aligned).
ANNEX_COLUMNS: Final = (("annex.no", 5, True), ("col.app", 28, False),
                        ("col.department", 20, False), ("annex.availability", 9, True),
                        ("col.incidents", 5, True), ("col.p95", 9, True),
                        ("annex.breaches", 8, True), ("annex.pv", 12, True))


def chunks(items: Sequence[T], size: int, first: int | None = None) -> list[Sequence[T]]:
    """`items` cut into runs of `size`, the first run `first` long (default `size`)."""
    head = size if first is None else first
    out = [items[:head]] if items else []
    out.extend(items[n:n + size] for n in range(head, len(items), size))
    return out


def monthly_context(report: MonthlyReport, f: Formatter) -> dict[str, Any]:
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
        "app_pages": chunks(detail_apps(report), APP_ROWS_PER_PAGE, APP_ROWS_FIRST_PAGE),
        "annex": annex_rows(report, f) if len(report.apps) > FULL_TABLE_APPS else None,
        "annex_header": annex_header(f),
        "cover": report.cover,
        "pv": {t.app_id: t for t in report.traffic or ()},
        "incident_tables": chunks(incident_rows(report), INCIDENT_ROWS_PER_TABLE),
        "dimensions": [(d, report.group(d)) for d in DIMENSIONS],
        "max_group_incidents": max((g.incidents.count for g in report.breakdowns), default=0),
        "group_key": lambda g: _group_key(g, f),
        "rankings": rankings_below_target(report),
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


def rankings_below_target(report: MonthlyReport) -> list[tuple[str, list[AppFigures]]]:
    """The rankings as a page shows them: only apps below the availability target (ranking
    apps that met it would put a good app on a list of bad ones)."""
    apps = {app.id: app for app in report.apps}
    target = report.availability_target_pct
    r = report.rankings

    def below(ids: Sequence[str]) -> list[AppFigures]:
        return [apps[i] for i in ids if below_target(apps[i], target)]

    return [("lowest_availability", below(r.lowest_availability)),
            ("slowest_p95", below(r.slowest_p95)),
            ("most_incidents", below(r.most_incidents))]


def detail_apps(report: MonthlyReport) -> Sequence[AppFigures]:
    """The per-app table's apps: all of them, or (beyond FULL_TABLE_APPS) those the
    recommendations name, at most DETAIL_APPS, in config order."""
    if len(report.apps) <= FULL_TABLE_APPS:
        return report.apps
    named = {r.app_id for r in report.recommendations[:DETAIL_APPS]}
    return [app for app in report.apps if app.id in named]


def width(text: str) -> int:
    """Columns `text` takes in a monospaced CJK font: wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, size: int, *, right: bool = False) -> str:
    """`text` padded (or cut with …) to `size` columns."""
    if width(text) > size:
        while width(text) > size - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (size - width(text))
    return pad + text if right else text + pad


def annex_header(f: Formatter) -> str:
    return " ".join(fit(f.t(key), size, right=right) for key, size, right in ANNEX_COLUMNS)


def annex_rows(report: MonthlyReport, f: Formatter) -> list[list[tuple[bool, str]]]:
    """Every app as one line of the annex, ANNEX_LINES_PER_ROW lines to a table row; each line
    is (below target, text)."""
    traffic = {t.app_id: t.pv for t in report.traffic or ()}
    target = report.availability_target_pct
    lines = []
    for n, app in enumerate(report.apps, 1):
        inc = app.incidents
        low = below_target(app, target)
        cells = (str(n), app.name, app.department,
                 f.percent(app.usage.availability_pct) + ("*" if low else ""),
                 str(inc.count), f.ms(app.latency.p95_ms),
                 f"{inc.response_breaches}/{inc.resolution_breaches}",
                 f.num(traffic.get(app.id)))
        lines.append((low, " ".join(fit(text, size, right=right) for text, (_, size, right)
                                    in zip(cells, ANNEX_COLUMNS, strict=True))))
    return [lines[n:n + ANNEX_LINES_PER_ROW] for n in range(0, len(lines), ANNEX_LINES_PER_ROW)]


def _reasons(entry: WatchEntry, report: MonthlyReport, f: Formatter) -> str:
    values = {"target": f"{report.availability_target_pct:g}", "week": WEEK_FAILED_LIMIT_PCT}
    return f.join(f.t(f"watch.{code}", **values) for code in entry.reasons)


def _scope(scope: str, f: Formatter) -> str:
    if scope == "*":
        return f.t("scope.all")
    return scope.removeprefix("app:").replace(",", ", ")
