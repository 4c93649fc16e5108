"""The sink against a recording write endpoint: batching, gzip, retries, order, rejected
batches, a bad token (never logged), the memory cap, the disk budget and restarts."""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from monitor.core.logs import configure_logging
from monitor.influx.sink import SinkTuning
from tests.influx.helpers import TOKEN, eventually, influx_config, make_sink, metric, now_ms
from tests.influx.recorder import Recorder, running_recorder


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with running_recorder() as rec:
        yield rec


def numbered(count: int, start: int = 0) -> list[str]:
    base = now_ms()
    return [f"probe,app=a,check=c n={n}i {base + n}" for n in range(start, start + count)]


async def test_full_batches_go_out_gzipped_with_ms_precision(recorder: Recorder,
                                                             tmp_path: Path) -> None:
    config = influx_config(recorder.url, batch_size=100, flush_interval_s=60.0)
    sink, metrics = make_sink(config, tmp_path)
    await sink.start()
    lines = numbered(1000)
    for line in lines:
        sink.add(line)
    await sink.flush()
    assert [len(r.lines) for r in recorder.requests] == [100] * 10
    first = recorder.requests[0]
    assert first.content_encoding == "gzip"
    assert first.params == {"org": "keqiao", "bucket": "appmon", "precision": "ms"}
    assert first.authorization == f"Token {TOKEN}"
    assert recorder.lines == lines  # in order, each once
    assert metric(metrics, "appmon_influx_points_written_total") == 1000
    assert metric(metrics, "appmon_influx_write_duration_seconds_count") == 10
    assert metric(metrics, "appmon_influx_last_write_success_timestamp_seconds") > 0
    await sink.close()


async def test_a_partial_batch_goes_out_after_the_flush_interval(recorder: Recorder,
                                                                 tmp_path: Path) -> None:
    sink, _ = make_sink(influx_config(recorder.url, flush_interval_s=0.4), tmp_path)
    await sink.start()
    loop = asyncio.get_running_loop()
    added_at = loop.time()
    for line in numbered(5):
        sink.add(line)
    await eventually(lambda: _true(len(recorder.requests) == 1), timeout_s=5)
    waited = recorder.requests[0].at - added_at
    assert 0.0 <= waited < 0.4 + 0.3  # one tick at most, plus a little
    await asyncio.sleep(0.5)
    assert len(recorder.requests) == 1  # nothing new, nothing sent
    await sink.close()


async def test_add_is_cheap(recorder: Recorder, tmp_path: Path) -> None:
    sink, _ = make_sink(influx_config(recorder.url, flush_interval_s=60.0), tmp_path)
    await sink.start()
    lines = numbered(50_000)
    started = time.perf_counter()
    for line in lines:
        sink.add(line)
    per_add_s = (time.perf_counter() - started) / len(lines)
    assert per_add_s < 20e-6  # microseconds, batches sealed included
    await sink.close()
    assert len(recorder.lines) == 50_000


async def test_a_rejected_batch_is_dropped_counted_and_logged_once(recorder: Recorder,
                                                                   tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging("info", "json", stream=out)
    recorder.status = 400
    recorder.body = {"code": "invalid", "message": "unable to parse 'probe n=': missing value"}
    sink, metrics = make_sink(influx_config(recorder.url), tmp_path)
    await sink.start()
    for line in numbered(10):
        sink.add(line)
    await sink.flush()
    assert metric(metrics, "appmon_influx_points_dropped_total", reason="rejected") == 10
    assert metric(metrics, "appmon_influx_write_errors_total", kind="rejected") == 1
    recorder.status = 204
    later = numbered(5, start=10)
    for line in later:
        sink.add(line)
    await sink.close()
    assert recorder.lines == later
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    rejected = [e for e in events if e["event"] == "influx_batch_rejected"]
    assert len(rejected) == 1
    assert rejected[0]["points"] == 10
    assert "unable to parse" in rejected[0]["error"]
    assert metric(metrics, "appmon_influx_spool_points") == 0


async def test_server_errors_are_retried_in_order_without_loss(recorder: Recorder,
                                                               tmp_path: Path) -> None:
    recorder.status = 503
    sink, metrics = make_sink(influx_config(recorder.url, batch_size=50), tmp_path)
    await sink.start()
    lines = numbered(300)
    for line in lines[:200]:
        sink.add(line)
    await eventually(lambda: _true(recorder.refused >= 3), timeout_s=10)
    await sink.flush()  # an outage: flushed means spooled
    assert metric(metrics, "appmon_influx_spool_points") == 200
    recorder.status = 204
    for line in lines[200:]:
        sink.add(line)
    await eventually(lambda: _true(len(recorder.lines) == 300), timeout_s=10)
    await sink.close()
    assert recorder.lines == lines
    assert metric(metrics, "appmon_influx_write_errors_total", kind="server") >= 3
    assert metric(metrics, "appmon_influx_points_written_total") == 300
    assert metric(metrics, "appmon_influx_spool_points") == 0


async def test_a_bad_token_keeps_spooling_and_never_reaches_the_logs(recorder: Recorder,
                                                                     tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging("debug", "json", stream=out)
    recorder.status = 401
    recorder.body = {"code": "unauthorized",
                     "message": f"token {TOKEN} is invalid (Authorization: Token {TOKEN})"}
    sink, metrics = make_sink(influx_config(recorder.url), tmp_path)
    assert TOKEN not in repr(sink)
    await sink.start()
    lines = numbered(20)
    for line in lines:
        sink.add(line)
    await eventually(lambda: _true(recorder.refused >= 3), timeout_s=10)
    await sink.flush()
    assert metric(metrics, "appmon_influx_spool_points") == 20
    assert metric(metrics, "appmon_influx_write_errors_total", kind="auth") >= 3
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    failed = [e for e in events if e["event"] == "influx_write_failed"]
    assert failed
    assert failed[0]["level"] == "error"
    assert failed[0]["status"] == 401
    assert "is invalid" in failed[0]["error"]
    recorder.status = 204  # an operator fixed the token
    await eventually(lambda: _true(len(recorder.lines) == 20), timeout_s=10)
    await sink.close()
    assert recorder.lines == lines
    assert TOKEN not in out.getvalue()


async def test_memory_stays_capped_when_influxdb_is_slow(recorder: Recorder,
                                                         tmp_path: Path) -> None:
    recorder.delay_s = 0.5
    tuning = SinkTuning(memory_max_lines=100, retry_base_s=0.05, retry_cap_s=0.2)
    sink, metrics = make_sink(influx_config(recorder.url, batch_size=20), tmp_path, tuning)
    await sink.start()
    lines = numbered(1000)
    peak = 0.0
    for n, line in enumerate(lines):
        sink.add(line)
        if n % 50 == 0:
            await asyncio.sleep(0.01)
            peak = max(peak, metric(metrics, "appmon_influx_buffered_points"))
    assert peak <= 100 + 20
    assert metric(metrics, "appmon_influx_spool_points") > 0  # the overflow went to disk
    recorder.delay_s = 0.0
    await eventually(lambda: _true(len(recorder.lines) == 1000), timeout_s=30)
    await sink.close()
    assert recorder.lines == lines


async def test_past_the_budget_the_oldest_points_go(recorder: Recorder, tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging("info", "json", stream=out)
    recorder.status = 503
    config = influx_config(recorder.url, batch_size=100, spool_max=32 * 1024)
    sink, metrics = make_sink(config, tmp_path)
    await sink.start()
    lines = [f"probe,app=a,check=c n={n}i,pad=\"{n * 7919 % 100_003:x}{n}\" {now_ms() + n}"
             for n in range(20_000)]
    for start in range(0, len(lines), 100):
        for line in lines[start:start + 100]:
            sink.add(line)
        await sink.flush()
    dropped = metric(metrics, "appmon_influx_points_dropped_total", reason="budget")
    assert dropped > 0
    assert metric(metrics, "appmon_influx_spool_bytes") <= 32 * 1024
    recorder.status = 204
    await eventually(lambda: _true(metric(metrics, "appmon_influx_spool_points") == 0),
                     timeout_s=20)
    await sink.close()
    assert len(recorder.lines) + dropped == len(lines)
    assert recorder.lines == lines[int(dropped):]  # the newest kept, the oldest dropped
    assert any(json.loads(e)["event"] == "influx_points_dropped"
               for e in out.getvalue().splitlines())


async def test_the_spool_outlives_the_sink(recorder: Recorder, tmp_path: Path) -> None:
    recorder.status = 503
    config = influx_config(recorder.url, batch_size=40)
    sink, metrics = make_sink(config, tmp_path)
    await sink.start()
    lines = numbered(200)
    for line in lines:
        sink.add(line)
    await sink.close()
    assert metric(metrics, "appmon_influx_spool_points") == 200
    sink.add(lines[0])  # after close: counted, not kept
    assert metric(metrics, "appmon_influx_points_dropped_total", reason="closed") == 1

    recorder.status = 204
    again, metrics = make_sink(config, tmp_path)
    await again.start()
    assert metric(metrics, "appmon_influx_spool_points") == 200
    await eventually(lambda: _true(len(recorder.lines) == 200), timeout_s=10)
    await again.close()
    assert recorder.lines == lines
    assert not list((tmp_path / "influx-spool").glob("*.seg"))


async def _true(value: bool) -> bool:
    return value


async def test_a_torn_spool_tail_is_skipped_by_the_next_sink(recorder: Recorder,
                                                             tmp_path: Path) -> None:
    out = io.StringIO()
    configure_logging("info", "json", stream=out)
    recorder.status = 503
    config = influx_config(recorder.url, batch_size=50)
    sink, _ = make_sink(config, tmp_path)
    await sink.start()
    lines = numbered(200)
    for line in lines:
        sink.add(line)
    await sink.close()
    segment = max((tmp_path / "influx-spool").glob("*.seg"))
    with segment.open("ab") as handle:  # a crash in the middle of the next append
        handle.write(b"\x40\x00\x00\x00\x32\x00\x00\x00partial record")

    recorder.status = 204
    again, _ = make_sink(config, tmp_path)
    await again.start()
    await eventually(lambda: _true(len(recorder.lines) == 200), timeout_s=10)
    await again.close()
    assert recorder.lines == lines
    assert any(json.loads(e)["event"] == "influx_spool_torn_record"
               for e in out.getvalue().splitlines())
