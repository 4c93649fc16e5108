"""Today's traffic gauges: today's figures only, zero after midnight, linted by promtool."""

from __future__ import annotations

import asyncio

from prometheus_client import CollectorRegistry, generate_latest

from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.store import TrafficStore
from tests.ledger.helpers import FakeClock
from tests.support.tools import require_tool
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import TODAY

OA = 'app="kq-oa",department="区大数据中心",tier="1"'
JCZZ = 'app="kq-jczz",department="区委政法委",tier="2"'


def exposition(registry: CollectorRegistry) -> str:
    return generate_latest(registry).decode()


def test_only_todays_figures_show(make_config: MakeConfig, clock: FakeClock) -> None:
    config = make_config()
    oa, jczz = config.apps
    registry = CollectorRegistry()
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    metrics.update(oa, TODAY, 120, 30)
    metrics.update(oa, "2026-11-20", 999, 99)  # a backfill of an older day: not today
    metrics.update(jczz, "2026-11-23", 50, 5)  # yesterday's: shown as zero today
    text = exposition(registry)
    assert f"appmon_traffic_page_views{{{OA}}} 120.0" in text
    assert f"appmon_traffic_unique_visitors{{{OA}}} 30.0" in text
    assert f"appmon_traffic_page_views{{{JCZZ}}} 0.0" in text
    clock.advance(86400)  # the next day, before anything is written
    assert f"appmon_traffic_page_views{{{OA}}} 0.0" in exposition(registry)
    metrics.forget(["kq-jczz"])
    assert "kq-oa" not in exposition(registry)


async def test_exposition_passes_promtool(make_config: MakeConfig, clock: FakeClock) -> None:
    promtool = require_tool("promtool")
    oa, _ = make_config().apps
    registry = CollectorRegistry(auto_describe=True)  # as monitor.metrics.Metrics builds it
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    metrics.update(oa, TODAY, 120, 30)
    metrics.pull_failures.labels("kq-oa", "json").inc()
    lint = await asyncio.create_subprocess_exec(
        promtool, "check", "metrics", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await lint.communicate(generate_latest(registry))
    assert lint.returncode == 0, output.decode()


async def test_load_today_fills_the_gauges_after_a_restart(
        make_config: MakeConfig, clock: FakeClock, store: TrafficStore) -> None:
    config = make_config()
    await store.set_counts("kq-oa", TODAY, "push", 70, 7)
    await store.set_counts("kq-oa", TODAY, "accesslog", 30, 3)
    await store.set_counts("kq-jczz", "2026-11-23", "push", 5, 5)  # not today
    registry = CollectorRegistry()
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    await metrics.load_today(store, config)
    text = exposition(registry)
    assert f"appmon_traffic_page_views{{{OA}}} 100.0" in text
    assert f"appmon_traffic_unique_visitors{{{OA}}} 10.0" in text
    assert "kq-jczz" not in text
