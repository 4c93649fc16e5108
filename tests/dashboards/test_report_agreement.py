"""Grafana and the monthly report give one availability: the wall's 本月可用率, run by the real
InfluxDB on the points the service writes, equals the report's figure on the same month
(weighted by runs, maintenance hours and unknown runs left out)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.influx.maintenance import MaintenanceMarks
from monitor.influx.points import probe_line, probe_series
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports.monthly.build import build_monthly
from probes.base import ProbeResult, Timings
from tests.dashboards import grafana
from tests.reports import synthetic, synthetic_alerts
from tests.support.influxdb1 import InfluxDB1

NOW = synthetic.NOW


def wall_query(title: str) -> str:
    [panel] = [p for p in grafana.all_panels(grafana.load("wall")) if p.get("title") == title]
    return str(panel["targets"][0]["query"])


def month_points(config: Any, runs: list[synthetic.Run]) -> list[str]:
    """The lines the service would have written for these runs (points.py, with the hours
    of the recorded maintenance windows marked as the service marks them)."""
    windows = [(scope, start, end) for _, scope, start, end in synthetic.MAINTENANCE]
    marks = MaintenanceMarks(lambda a, b: windows)
    checks = {(app.id, check.id): (app, check) for app, check in config.iter_checks()}
    lines = []
    for run in runs:
        app, check = checks[(run.app, run.check)]
        result = ProbeResult(
            ok=run.ok, started_at=run.ts, timings=Timings(run.latency_s),
            error_kind=run.error_kind, message=run.message,
            status_code=200 if run.ok else None, cert_days_left=run.cert_days_left)
        lines.append(probe_line(probe_series(app, check), result,
                                maintenance=marks.marked(app.id, run.ts)))
    return lines


@pytest.fixture(scope="module")
def report_pct(tmp_path_factory: pytest.TempPathFactory) -> tuple[float, Any]:
    root = tmp_path_factory.mktemp("agreement")
    data = root / "data"
    (root / "config.yaml").write_text(synthetic.config_yaml(data), encoding="utf-8")
    config = load_config(root / "config.yaml")

    async def build() -> float:
        await synthetic.write_runs(data, synthetic.pattern())
        await synthetic_alerts.write_alerts(data)
        ledger = await SqliteLedger.open(data, raw_retention_s=365 * 86400.0,
                                         tuning=Tuning(prune_interval_s=None))
        store = await AlertStore.open(data)
        try:
            report = await build_monthly(config, ledger, store, synthetic.MONTH, NOW)
        finally:
            await store.close()
            await ledger.close()
        pct = report.totals.usage.availability_pct
        assert pct is not None
        return float(pct)

    return asyncio.run(build()), config


def test_the_walls_month_availability_is_the_reports(
    influxdb1: InfluxDB1, report_pct: tuple[float, Any], tmp_path: Path
) -> None:
    pct, config = report_pct
    influxdb1.write(month_points(config, synthetic.pattern()), precision="ms")
    query = wall_query("本月可用率")
    bounded = (query.replace("$timeFilter", f"time >= {int(synthetic.START * 1000)}ms AND "
                                             f"time < {int(synthetic.END * 1000)}ms")
               .replace("$department", ".*").replace("$category", ".*")
               .replace("$tier", ".*"))
    answer = influxdb1.query(bounded)
    [series] = answer["results"][0]["series"]
    wall = float(series["values"][0][1])
    # The report shows availability to three decimals; the wall to two.
    assert abs(wall - pct) < 0.001, (wall, pct)
    # Without the maintenance rule the figures would differ: the test can tell.
    loose = bounded.replace(" AND \"maintenance\" != '1'", "")
    [loose_series] = influxdb1.query(loose)["results"][0]["series"]
    assert abs(float(loose_series["values"][0][1]) - pct) > 0.001
