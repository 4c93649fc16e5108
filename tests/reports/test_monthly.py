"""The monthly figures against ground truth computed here from the synthetic pattern.

Nothing below uses the report's own helpers: hours, days, percentages and percentiles are
recomputed from the list of runs the fixture wrote.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.ledger.histogram import RELATIVE_ERROR
from monitor.reports import MonthError, MonthlyReport, build_monthly
from monitor.reports.monthly.model import AppFigures
from probes.base import ErrorKind
from tests.reports.conftest import Month
from tests.reports.synthetic import END, MAINTENANCE, MONTH, NOW, START, TZ, Run, local

APPS = ("kq-oa", "kq-zwfw", "kq-jczz")


@pytest.fixture
async def report(config: Config, ledger: SqliteLedger, store: AlertStore) -> MonthlyReport:
    return await build_monthly(config, ledger, store, MONTH, NOW)


def app_of(report: MonthlyReport, app_id: str) -> AppFigures:
    return next(a for a in report.apps if a.id == app_id)


# --- ground truth --------------------------------------------------------------------------

def left_out(app: str) -> set[int]:
    """UTC hour starts of the month overlapping a maintenance window that covers `app`."""
    hours = set()
    for _, scope, start, end in MAINTENANCE:
        if scope == "*" or app in scope.removeprefix("app:").split(","):
            hour = math.floor(start / 3600) * 3600
            while hour < end:
                if START <= hour < END:
                    hours.add(hour)
                hour += 3600
    return hours


def counted(runs: list[Run], app: str, check: str | None = None) -> list[Run]:
    skip = left_out(app)
    return [r for r in runs if r.app == app and (check is None or r.check == check)
            and START <= r.ts < END and math.floor(r.ts / 3600) * 3600 not in skip]


def truncated(part: int, whole: int) -> float:
    return math.floor(Fraction(100 * part, whole) * 1000) / 1000


def exact_percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def measured(runs: list[Run]) -> list[float]:
    return [r.latency_s for r in runs if r.ok or r.error_kind is ErrorKind.SLOW]


# --- tests -------------------------------------------------------------------------------

@pytest.mark.parametrize("app", APPS)
def test_probes_failures_and_availability_are_exact(report: MonthlyReport, month: Month,
                                                    app: str) -> None:
    runs = counted(month.runs, app)
    failed = sum(1 for r in runs if not r.ok)
    figures = app_of(report, app)
    assert figures.usage.probes == len(runs)
    assert figures.usage.failed_probes == failed
    assert figures.usage.availability_pct == truncated(len(runs) - failed, len(runs))


def test_hand_counted_app() -> None:
    """kq-zwfw, counted by hand: 30 days of 288 runs, less 2 maintenance hours of 12 runs;
    30 min refused (6 runs) + 16 h of timeouts (192); the 03:00 502s fall in maintenance."""
    probes, failed = 30 * 288 - 2 * 12, 6 + 192
    assert (probes, failed) == (8616, 198)
    assert truncated(probes - failed, probes) == 97.701


async def test_hand_counted_figures(report: MonthlyReport) -> None:
    zwfw = app_of(report, "kq-zwfw")
    assert (zwfw.usage.probes, zwfw.usage.failed_probes) == (8616, 198)
    assert zwfw.usage.availability_pct == 97.701
    assert zwfw.excluded_hours == 2
    oa = app_of(report, "kq-oa")
    assert oa.excluded_hours == 6  # 11-01 00:00, 11-10 03:00, 11-28 22:00 - 11-29 01:59
    assert oa.excluded_probes == 6 * 12 * 2


def test_totals_are_probe_weighted(report: MonthlyReport, month: Month) -> None:
    runs = [r for app in APPS for r in counted(month.runs, app)]
    failed = sum(1 for r in runs if not r.ok)
    assert report.totals.usage.probes == len(runs)
    assert report.totals.usage.availability_pct == truncated(len(runs) - failed, len(runs))


@pytest.mark.parametrize("app", APPS)
def test_latency_percentiles_within_the_histogram_error(report: MonthlyReport, month: Month,
                                                        app: str) -> None:
    values = measured(counted(month.runs, app))
    latency = app_of(report, app).latency
    assert latency.samples == len(values)
    for q, got in ((0.5, latency.p50_ms), (0.95, latency.p95_ms), (0.99, latency.p99_ms)):
        exact_ms = exact_percentile(values, q) * 1000
        assert got is not None
        # the histogram's stated error, plus the 0.05 ms of rounding to one decimal
        assert abs(got - exact_ms) <= exact_ms * RELATIVE_ERROR + 0.05, (q, got, exact_ms)


def test_slow_runs_fail_and_are_measured(report: MonthlyReport, month: Month) -> None:
    jczz = app_of(report, "kq-jczz")
    home = next(c for c in jczz.checks if c.check_id == "home")
    slow = [r for r in counted(month.runs, "kq-jczz", "home") if r.error_kind is ErrorKind.SLOW]
    assert len(slow) == 12
    assert home.usage.failed_probes == 12
    assert home.latency.samples == home.usage.probes  # slow runs are in the histogram
    # 12 slow runs (3-5 s) in 8,616 are 0.14 %: they lift the maximum, not the p99.
    assert home.latency.p99_ms is not None
    assert home.latency.p99_ms < 3000


def test_failures_outside_the_month_are_not_counted(report: MonthlyReport, month: Month
                                                    ) -> None:
    outside = [r for r in month.runs if not START <= r.ts < END]
    assert outside
    assert all(not r.ok for r in outside)
    assert report.totals.usage.probes == sum(len(counted(month.runs, a)) for a in APPS)


@pytest.mark.parametrize("app", APPS)
def test_daily_availability(report: MonthlyReport, month: Month, app: str) -> None:
    by_day: dict[str, list[Run]] = {}
    for run in counted(month.runs, app):
        by_day.setdefault(dt.datetime.fromtimestamp(run.ts, TZ).date().isoformat(), []).append(run)
    daily = app_of(report, app).daily
    assert [d.date for d in daily] == [f"2026-11-{n:02d}" for n in range(1, 31)]
    for point in daily:
        runs = by_day[point.date]
        failed = sum(1 for r in runs if not r.ok)
        assert (point.usage.probes, point.usage.failed_probes) == (len(runs), failed)
        assert point.usage.availability_pct == truncated(len(runs) - failed, len(runs))
    nov20 = next(d for d in daily if d.date == "2026-11-20")
    if app == "kq-zwfw":  # 14:00-24:00 timed out: 120 of 288
        assert nov20.usage.availability_pct == truncated(168, 288) == 58.333


def test_overall_daily_sums_the_apps(report: MonthlyReport) -> None:
    for n, day in enumerate(report.daily):
        assert day.usage.probes == sum(a.daily[n].usage.probes for a in report.apps)
        assert day.usage.failed_probes == sum(a.daily[n].usage.failed_probes for a in report.apps)


def test_incident_figures_per_app(report: MonthlyReport) -> None:
    expected = {  # (count, mtta, mttr, response breaches, resolution breaches)
        "kq-oa": (3, (300 + 900 + 60) / 3, round((7080 + 3600 + 4000) / 3, 1), 0, 2),
        "kq-zwfw": (2, 1200.0, (1680 + 57600) / 2, 2, 1),
        "kq-jczz": (2, 600.0, 3000.0, 1, 1),
    }
    for app, (count, mtta, mttr, response, resolution) in expected.items():
        f = app_of(report, app).incidents
        assert (f.count, f.mtta_seconds, f.mttr_seconds) == (count, mtta, mttr), app
        assert (f.response_breaches, f.resolution_breaches) == (response, resolution), app


def test_totals_incidents_and_sla(report: MonthlyReport) -> None:
    f = report.totals.incidents
    assert f.count == 7  # e (October) and f (an app no longer configured) are not counted
    assert f.mtta_seconds == (300 + 900 + 60 + 1200 + 600) / 5
    assert f.mttr_seconds == round((7080 + 3600 + 4000 + 1680 + 57600 + 3000) / 6, 1)
    # within: a, h (exactly at the limit), i, d; breached: b (late), c (flag), g (missing)
    assert (f.response_within, f.response_breaches) == (4, 3)
    assert f.response_within_sla_pct == truncated(4, 7) == 57.142
    # within: h (exactly), b, d; breached: a (flag), i (late, no flag), c, g
    assert (f.resolution_within, f.resolution_breaches) == (3, 4)
    assert f.resolution_within_sla_pct == truncated(3, 7) == 42.857
    assert report.other_incidents == 1
    assert [(c.key, c.count) for c in report.incidents_by_severity] == [
        ("critical", 3), ("major", 2), ("minor", 2)]


async def test_open_incident_before_its_limit_is_pending(
    config: Config, ledger: SqliteLedger, store: AlertStore
) -> None:
    """Made 1 min after g opened: g is neither within nor breached yet."""
    early = await build_monthly(config, ledger, store, MONTH, local(11, 30, 23, 56))
    f = early.totals.incidents
    assert (f.response_within, f.response_breaches) == (4, 2)
    assert (f.resolution_within, f.resolution_breaches) == (3, 3)


def test_incident_list(report: MonthlyReport) -> None:
    ids = [line.id for line in report.incidents]
    assert ids == ["20261105020500-kq-oa-home", "i", "b", "d", "c", "h", "g"]  # by opened_at
    line = next(x for x in report.incidents if x.id == "i")
    assert (line.response_breached, line.resolution_breached) == (False, True)
    assert next(x for x in report.incidents if x.id == "d").cause == "慢查询"


def test_watch_list_certificates_and_maintenance(report: MonthlyReport, month: Month) -> None:
    [watch] = report.watch_list
    assert watch.app_id == "kq-zwfw"
    assert watch.reasons == ("availability_below_target", "week_failed_probes")
    days = app_of(report, "kq-zwfw").daily
    worst = max(Fraction(sum(d.usage.failed_probes for d in days[i:i + 7]),
                          sum(d.usage.probes for d in days[i:i + 7])) for i in range(24))
    assert watch.worst_week_failed_pct == math.floor(worst * 100_000) / 1000
    [cert] = report.certificates
    last_tls = max((r for r in month.runs if r.check == "tls"), key=lambda r: r.ts)
    assert (cert.app_id, cert.check_id) == ("kq-jczz", "tls")
    assert last_tls.cert_days_left is not None
    assert cert.days_left == round(last_tls.cert_days_left, 1)
    assert [(m.window_id, m.apps, m.excluded_hours, m.reason) for m in report.maintenance] == [
        ("month-edge", APPS, 1, ""),
        ("night-patch", APPS, 1, ""),
        ("kq-oa-upgrade", ("kq-oa",), 4, "系统升级"),
    ]


def test_breakdowns_and_rankings(report: MonthlyReport, month: Month) -> None:
    departments = report.group("department")
    assert [(g.key, g.rank, g.apps) for g in departments] == [
        ("区大数据中心", 1, ("kq-oa", "kq-jczz")), ("区行政服务中心", 2, ("kq-zwfw",))]
    centre = departments[0]
    runs = counted(month.runs, "kq-oa") + counted(month.runs, "kq-jczz")
    failed = sum(1 for r in runs if not r.ok)
    assert centre.usage.availability_pct == truncated(len(runs) - failed, len(runs))
    assert centre.incidents.count == 5
    assert [g.key for g in report.group("tier")] == ["3", "1", "2"]  # best availability first
    assert report.rankings.lowest_availability[0] == "kq-zwfw"
    assert report.rankings.most_incidents[0] == "kq-oa"


def test_methods_state_every_rule(report: MonthlyReport) -> None:
    keys = [m.key for m in report.methods]
    assert {"availability", "maintenance", "totals", "latency", "incidents", "sla",
            "percentages", "watch_list"} <= set(keys)
    text = {m.key: m.text for m in report.methods}
    assert "整小时" in text["maintenance"]
    assert "3 个维护时段" in text["maintenance"]
    assert "15 分钟" in text["sla"]
    assert "1 小时" in text["sla"]
    assert "2026年11月1日至2026年11月30日" in text["period"]
    for jargon in ("UTC", "max_latency", "4.76", "直方图", "MTTA"):  # plain words for people
        assert all(jargon not in m.text for m in report.methods), jargon


@pytest.mark.parametrize("month_text", ["2026-13", "2026-1", "26-11", "2026-11-01", "2099-01"])
async def test_bad_months(config: Config, ledger: SqliteLedger, store: AlertStore,
                          month_text: str) -> None:
    with pytest.raises(MonthError):
        await build_monthly(config, ledger, store, month_text, NOW)


async def test_a_month_without_data(config: Config, ledger: SqliteLedger, store: AlertStore
                                    ) -> None:
    empty = await build_monthly(config, ledger, store, "2026-02", NOW)
    assert empty.period.dates[-1] == "2026-02-28"
    assert all(a.usage.availability_pct is None and a.latency.p95_ms is None for a in empty.apps)
    assert empty.totals.incidents.mtta_seconds is None
    assert empty.totals.incidents.response_within_sla_pct is None
    assert [w.reasons for w in empty.watch_list] == [("no_probes",)] * 3
