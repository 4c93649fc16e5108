"""The scheduler against a real local app: spread, no overlap, the concurrency cap, reload."""

from __future__ import annotations

import asyncio
from pathlib import Path

from monitor.config import load_config
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.core.constants import DEFAULT_MAX_BODY_BYTES
from monitor.ledger import MemoryLedger
from monitor.metrics import Metrics
from monitor.scheduler import Scheduler, spread_offset
from tests.support.clocks import ManualClock
from tests.support.polling import wait_until
from tests.support.probectx import probe_resources
from tests.support.target import app_yaml, running_target, write_config


def make_scheduler(ledger: MemoryLedger, *, cap: int = 100,
                   clock: Clock = SYSTEM_CLOCK) -> tuple[Scheduler, Metrics]:
    metrics = Metrics()
    scheduler = Scheduler(ledger=ledger, metrics=metrics,
                          resources=probe_resources(DEFAULT_MAX_BODY_BYTES),
                          clock=clock, max_concurrency=cap)
    return scheduler, metrics


def config_for(tmp_path: Path, apps: list[str], name: str = "c.yaml") -> Config:
    return load_config(write_config(tmp_path, "apps:\n" + "".join(apps), name=name))


def test_first_runs_are_spread_over_the_interval() -> None:
    offsets = [spread_offset((f"app-{i}", "home"), 60.0) for i in range(200)]
    assert all(0 <= o < 60 for o in offsets)
    # Spread, not bunched: every 10-second slice of the minute gets some first runs.
    assert {int(o // 10) for o in offsets} == set(range(6))
    assert spread_offset(("app-1", "home"), 60.0) == offsets[1]  # stable across restarts


async def test_checks_run_on_schedule_and_feed_ledger_and_metrics(tmp_path: Path) -> None:
    clock = ManualClock()
    async with running_target() as target:
        config = config_for(tmp_path, [app_yaml("kq-oa", f"{target.url}/health")])
        ledger = MemoryLedger()
        scheduler, metrics = make_scheduler(ledger, clock=clock)
        scheduler.apply(config)
        assert scheduler.fire_due() == []  # not due yet: first runs are spread
        runs = []
        for _ in range(3):  # the 1 s interval, three times over
            clock.advance(1.0)
            runs += scheduler.fire_due()
            await asyncio.gather(*runs)
        clock.advance(0.5)
        assert scheduler.fire_due() == []  # half an interval later: nothing due
    state = ledger.check_states()[("kq-oa", "home")]
    assert state.runs_total == len(runs) == 3
    assert state.last_ok is True
    assert scheduler.stats.runs == 3
    assert len(scheduler.stats.lateness_s) == 3
    exposition = metrics.exposition().decode()
    assert (
        'appmon_probe_success{app="kq-oa",check="home",department="区大数据中心",'
        'kind="http",tier="1"} 1.0') in exposition
    assert "appmon_scheduler_lateness_seconds_count" in exposition


async def test_apscheduler_drives_the_slots_in_real_time(tmp_path: Path) -> None:
    async with running_target() as target:
        ledger = MemoryLedger()
        scheduler, _ = make_scheduler(ledger)
        scheduler.apply(config_for(tmp_path, [app_yaml("kq-oa", f"{target.url}/health")]))
        scheduler.start()
        await wait_until(lambda: target.hits >= 2, "two runs a second apart", 5.0)
        await scheduler.shutdown()
    assert ledger.check_states()[("kq-oa", "home")].runs_total >= 2


async def test_a_check_never_overlaps_itself_and_skipped_runs_count_as_missed(
    tmp_path: Path,
) -> None:
    clock = ManualClock()
    async with running_target() as target:
        target.gate = asyncio.Event()  # each run waits until the test lets it answer
        config = config_for(tmp_path, [app_yaml("slow-app", f"{target.url}/health",
                                                interval="1s", timeout="5s")])
        ledger = MemoryLedger()
        scheduler, metrics = make_scheduler(ledger, clock=clock)
        scheduler.apply(config)
        clock.advance(1.0)
        (first,) = scheduler.fire_due()
        await wait_until(lambda: target.in_flight == 1, "the first run to reach the app")
        for _ in range(2):  # due twice more while the first run is still going
            clock.advance(1.0)
            assert scheduler.fire_due() == []
        target.gate.set()
        await first
        assert target.max_in_flight == 1
    assert scheduler.stats.missed == 2
    assert ledger.check_states()[("slow-app", "home")].runs_total == 1
    assert 'appmon_scheduler_missed_runs_total{app="slow-app"' in metrics.exposition().decode()


async def test_global_concurrency_cap(tmp_path: Path) -> None:
    async with running_target() as target:
        target.delay_s = 0.5
        apps = [app_yaml(f"app-{i}", f"{target.url}/health/{i}") for i in range(8)]
        scheduler, _ = make_scheduler(MemoryLedger(), cap=3)
        scheduler.apply(config_for(tmp_path, apps))
        results = await scheduler.run_once()
        assert len(results) == 8
        assert all(result.ok for _, result in results)
        assert target.max_in_flight == 3


async def test_run_once_for_one_app_and_down_results(tmp_path: Path) -> None:
    async with running_target() as target:
        target.status = 503
        apps = [app_yaml("a", f"{target.url}/health"), app_yaml("b", f"{target.url}/health")]
        ledger = MemoryLedger()
        scheduler, _ = make_scheduler(ledger)
        scheduler.apply(config_for(tmp_path, apps))
        results = await scheduler.run_once("b")
    assert [(s.app.id, r.ok, r.status_code) for s, r in results] == [("b", False, 503)]
    assert ("a", "home") not in ledger.check_states()


async def test_apply_keeps_unchanged_checks_and_replaces_changed_ones(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/health"
    scheduler, metrics = make_scheduler(MemoryLedger())
    first = config_for(tmp_path, [app_yaml("keep", url), app_yaml("change", url),
                                  app_yaml("drop", url)], name="1.yaml")
    scheduler.apply(first)
    before = {s.key: s for s in scheduler.checks()}
    before[("drop", "home")].series.success.set(1)
    second = config_for(tmp_path, [app_yaml("keep", url), app_yaml("change", url, interval="5s"),
                                   app_yaml("new", url)], name="2.yaml")
    diff = scheduler.apply(second)
    assert diff.added == (("new", "home"),)
    assert diff.removed == (("drop", "home"),)
    assert diff.changed == (("change", "home"),)
    assert diff.unchanged == 1
    after = {s.key: s for s in scheduler.checks()}
    assert after[("keep", "home")] is before[("keep", "home")]
    assert after[("change", "home")].check.interval_s == 5.0
    assert 'app="drop"' not in metrics.exposition().decode()


async def test_shutdown_waits_for_runs_in_flight(tmp_path: Path) -> None:
    async with running_target() as target:
        target.delay_s = 1.0
        ledger = MemoryLedger()
        scheduler, _ = make_scheduler(ledger)
        scheduler.apply(config_for(tmp_path, [app_yaml(f"app-{i}", f"{target.url}/health/{i}",
                                                       interval="1s", timeout="3s")
                                              for i in range(5)]))
        scheduler.start()
        await wait_until(lambda: target.in_flight == 5, "five runs under way")
        await scheduler.shutdown()  # must not cancel the five runs under way
        assert target.in_flight == 0
    states = ledger.check_states()
    assert len(states) == 5
    assert all(s.last_ok is True for s in states.values())
