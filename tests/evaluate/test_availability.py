"""Availability and latency: a burst against real servers, and the trial from a real ledger."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monitor.governance.evaluate import Evaluation, evaluate
from monitor.governance.evaluate.availability import TrialFigures, burst, performance_items
from probes.context import ProbeResources
from tests.evaluate.trial import Trial, app_config, open_ledger, write_trial
from tests.support.baseline_servers import RunningSite, Site, baseline_site
from tests.support.certs import TestPki
from tests.support.probectx import probe_resources


def item(ev: Evaluation, check_id: str) -> tuple[str, str, dict[str, object]]:
    found = next(c for d in ev.dimensions for c in d.checks if c.id == check_id)
    return found.status, found.detail, dict(found.data)


def resources() -> ProbeResources:
    return probe_resources()


async def test_a_burst_against_a_healthy_server(site: RunningSite) -> None:
    figures = await burst(site.url, site.options(burst=12), resources())
    assert (figures.runs, figures.failures) == (12, 0)
    assert site.hits == 12
    assert figures.p50_s is not None
    assert figures.p95_s is not None
    assert 0 < figures.p50_s <= figures.p95_s < 1.0
    assert not figures.from_ledger


async def test_a_burst_against_a_flaky_server_counts_exactly(pki: TestPki) -> None:
    # Every 4th request fails: any 12 consecutive requests hold exactly 3 failures, whatever
    # the security items sent first.
    async with baseline_site(pki, Site(fail_every=4)) as site:
        figures = await burst(site.url, site.options(burst=12), resources())
        ev = await evaluate(site.url, site.options(burst=12))
    assert (figures.runs, figures.failures) == (12, 3)
    assert dict(figures.errors) == {"状态码异常": 3}
    status, detail, data = item(ev, "availability")
    assert status == "fail"
    assert detail == "12 次探测，失败 3 次，可用率 75.00%，低于 99%；主要错误：状态码异常 ×3"
    assert data == {"runs": 12, "failures": 3, "availability_pct": 75.0}
    assert ev.verdict == "fail"
    assert ev.reasons[0].startswith("可用性 · 可用率 ≥ 99%：12 次探测")


async def test_the_burst_is_spaced_start_to_start(site: RunningSite) -> None:
    started = time.monotonic()
    await burst(site.url, site.options(burst=4, burst_interval_s=0.1), resources())
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(("p95_s", "status"), [
    (2.9, "pass"), (3.5, "warn"), (15.5, "fail"), (None, "unknown"),
])
def test_latency_thresholds(p95_s: float | None, status: str) -> None:
    figures = TrialFigures(runs=20, failures=0, p50_s=None if p95_s is None else 0.1,
                           p95_s=p95_s, source="", from_ledger=False)
    [outcome] = performance_items(figures, "zh-CN")
    assert outcome.status == status
    assert outcome.blocking  # p95 over 15 s is the low-availability rule's slow probe


async def test_the_trial_comes_from_the_ledger(tmp_path: Path, site: RunningSite) -> None:
    runs = await write_trial(tmp_path, Trial(failures=3, stale_failures=5))
    ledger = await open_ledger(tmp_path)
    try:
        ev = await evaluate(site.url, site.options(), app=app_config(site.url), ledger=ledger)
    finally:
        await ledger.close()
    assert runs == 720
    status, detail, data = item(ev, "availability")
    assert status == "pass"
    assert detail == "720 次探测，失败 3 次，可用率 99.58%（≥ 99%）"  # the stale 5 left out
    status, detail, data = item(ev, "trial_coverage")
    assert (status, data) == ("warn", {"hours_with_data": 72, "trial_hours": 336})
    assert detail == "试运行期 14 天中仅 72 小时有探测数据（21%，应 ≥ 90%）"
    status, detail, data = item(ev, "latency_p95")
    assert status == "pass"
    assert abs(float(str(data["p95_ms"])) - 200.0) <= 200.0 * 0.05  # histogram error bound
    assert data["approximate"] is True
    assert ev.dimensions[1].source.startswith("监控账本：")
    assert site.hits == 1  # the security GET only: no burst when the ledger has the trial
    assert ev.verdict == "conditional"
    assert ev.app_id == "kq-oa"


async def test_a_low_availability_trial_fails(tmp_path: Path, site: RunningSite) -> None:
    await write_trial(tmp_path, Trial(failures=36))
    ledger = await open_ledger(tmp_path)
    try:
        ev = await evaluate(site.url, site.options(), app=app_config(site.url), ledger=ledger)
    finally:
        await ledger.close()
    status, detail, _ = item(ev, "availability")
    assert status == "fail"
    assert detail == "720 次探测，失败 36 次，可用率 95.00%，低于 99%"
    assert ev.verdict == "fail"


async def test_a_check_dropped_from_the_config_still_counts(
    tmp_path: Path, site: RunningSite
) -> None:
    await write_trial(tmp_path, Trial(hours=24, check_id="old-home"))
    ledger = await open_ledger(tmp_path)
    try:
        ev = await evaluate(site.url, site.options(), app=app_config(site.url), ledger=ledger)
    finally:
        await ledger.close()
    assert item(ev, "availability")[2]["runs"] == 240
    assert "2 项检查" in ev.dimensions[1].source


async def test_no_ledger_data_for_the_app_falls_back_to_a_burst(
    tmp_path: Path, site: RunningSite
) -> None:
    await write_trial(tmp_path, Trial(hours=5), app_id="other-app")
    ledger = await open_ledger(tmp_path)
    try:
        ev = await evaluate(site.url, site.options(burst=4), app=app_config(site.url),
                            ledger=ledger)
    finally:
        await ledger.close()
    assert item(ev, "availability")[2]["runs"] == 4
    assert ev.notes[0] == "账本中没有该应用近 14 天的数据，改用即时探测"
    assert [c.id for c in ev.dimensions[1].checks] == ["availability"]  # no coverage item
