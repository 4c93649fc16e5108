"""The service with `influxdb` configured: every probe result becomes a line of its check's
series; stopping the service flushes them; the config keys load; /metrics stays promtool-clean."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.influx.helpers import TOKEN, parse_line
from tests.influx.recorder import Recorder, running_recorder
from tests.support.target import Target, app_yaml, running_target, write_config
from tests.support.tools import require_tool


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with running_recorder() as rec:
        yield rec


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


def _config(tmp_path: Path, target: Target, recorder: Recorder) -> Path:
    return write_config(tmp_path, textwrap.dedent(f"""
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
        influxdb:
          url: "{recorder.url}"
          org: "keqiao"
          bucket: "appmon"
          token: "{TOKEN}"
          batch_size: 1000
          flush_interval: "200ms"
          timeout: "5s"
          spool_max: "64MiB"
        apps:
    """) + app_yaml("kq-oa", f"{target.url}/health", name="柯桥区协同办公"))


async def test_results_reach_influxdb_as_probe_lines(tmp_path: Path, target: Target,
                                                     recorder: Recorder) -> None:
    config = load_config(_config(tmp_path, target, recorder))
    assert config.influxdb is not None
    assert (config.influxdb.batch_size, config.influxdb.flush_interval_s,
            config.influxdb.timeout_s, config.influxdb.spool_max) == (1000, 0.2, 5.0, 64 << 20)
    service = Service(config, serve_http=False, background=False)
    await service.start()
    try:
        assert service.sink is not None
        await service.scheduler.run_once()
        target.status = 503
        await service.scheduler.run_once()
    finally:
        await service.stop()
    points = [parse_line(line) for line in recorder.lines]
    assert [(m, tags["app"], tags["check"], tags["kind"], fields["up"])
            for m, tags, fields, _ in points] == [("probe", "kq-oa", "home", "http", 1),
                                                  ("probe", "kq-oa", "home", "http", 0)]
    assert points[0][1]["app_name"] == "柯桥区协同办公"
    assert points[1][1]["error_kind"] == "status"
    assert points[1][2]["status_code"] == 503


async def test_metrics_with_the_sink_pass_promtool(tmp_path: Path, target: Target,
                                                   recorder: Recorder) -> None:
    promtool = require_tool("promtool")
    service = Service(load_config(_config(tmp_path, target, recorder)), serve_http=False,
                      background=False)
    await service.start()
    try:
        await service.scheduler.run_once()
        assert service.sink is not None
        await service.sink.flush()
        text = service.metrics.exposition().decode()
    finally:
        await service.stop()
    for name in ("appmon_influx_points_written_total 1.0",
                 'appmon_influx_points_dropped_total{reason="budget"} 0.0',
                 'appmon_influx_write_errors_total{kind="connection"} 0.0',
                 "appmon_influx_spool_points 0.0", "appmon_influx_spool_bytes",
                 "appmon_influx_buffered_points", "appmon_influx_write_duration_seconds_bucket",
                 "appmon_influx_last_write_success_timestamp_seconds"):
        assert name in text
    lint = await asyncio.create_subprocess_exec(
        promtool, "check", "metrics", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await lint.communicate(text.encode())
    assert lint.returncode == 0, output.decode()


async def test_incident_changes_reach_influxdb(tmp_path: Path, target: Target,
                                               recorder: Recorder) -> None:
    service = Service(load_config(_config(tmp_path, target, recorder)), serve_http=False,
                      background=False)
    await service.start()
    try:
        target.status = 503
        for _ in range(2):  # confirm 2: the second failure opens the incident
            await service.scheduler.run_once()
            await service.alerts.drain()
        [incident] = service.alerts.active.values()
        await service.alerts.acknowledge(incident.id, "张三", None)
    finally:
        await service.stop()
    incidents = [parse_line(line) for line in recorder.lines if line.startswith("incident,")]
    assert [(tags["incident"], fields["state"], fields["open"])
            for _, tags, fields, _ in incidents] == [(incident.id, "open", 1),
                                                     (incident.id, "acknowledged", 1)]
    _, tags, fields, _ = incidents[0]
    assert tags["severity"] == "critical"
    assert fields["response_deadline_ms"] == round((incident.opened_at + 900) * 1000)
