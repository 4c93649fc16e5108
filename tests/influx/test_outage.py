"""Outages of a real VictoriaMetrics: stopped (SIGTERM) mid-run and started again, every point
arrives exactly once; points spooled by one sink are sent by the next."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from monitor.influx.sink import InfluxSink
from tests.influx.helpers import eventually, influx_config, make_sink, metric, now_ms
from tests.support.victoria import Victoria

SERIES = 5
RATE_PER_S = 400  # points a second, spread over the series


class Feeder:
    """Adds points at a steady rate; remembers every (series, ts) it added."""

    def __init__(self, sink: InfluxSink) -> None:
        self.sink = sink
        self.added: list[tuple[str, int]] = []
        self._ts = now_ms() - 120_000  # unique ms timestamps, in the past
        self._stop = asyncio.Event()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        started, sent = loop.time(), 0
        while not self._stop.is_set():
            due = int((loop.time() - started) * RATE_PER_S)
            for _ in range(due - sent):
                series = f"s{len(self.added) % SERIES}"
                self._ts += 1
                self.sink.add(f"probe,app=outage,check={series} up=1i,latency_s=0.5 {self._ts}")
                self.added.append((series, self._ts))
            sent = due
            await asyncio.sleep(0.01)

    def stop(self) -> None:
        self._stop.set()


async def _stored(server: Victoria) -> Counter[tuple[str, int]]:
    samples = await server.export('probe_up{app="outage"}')
    return Counter((dict(s.labels)["check"], s.ts_ms) for s in samples)


async def test_every_point_arrives_exactly_once_across_an_outage(victoria: Victoria,
                                                                 tmp_path: Path) -> None:
    sink, metrics = make_sink(influx_config(victoria.url, flush_interval_s=0.1), tmp_path)
    await sink.start()
    feeder = Feeder(sink)
    feeding = asyncio.create_task(feeder.run())
    await asyncio.sleep(1.5)
    await victoria.stop()
    await asyncio.sleep(2.5)
    assert metric(metrics, "appmon_influx_spool_points") > 0  # the outage went to disk
    down_errors = metric(metrics, "appmon_influx_write_errors_total", kind="connection")
    assert down_errors > 0
    await victoria.start()
    await asyncio.sleep(1.5)
    feeder.stop()
    await feeding
    await sink.flush()

    total = len(feeder.added)
    await eventually(lambda: _equals(metric(metrics, "appmon_influx_points_written_total"),
                                     total), timeout_s=30)
    assert metric(metrics, "appmon_influx_spool_points") == 0
    await sink.close()
    stored = await _stored(victoria)
    assert stored == Counter(feeder.added)  # each point once: none lost, none twice
    for series in range(SERIES):
        name = f"s{series}"
        assert sum(1 for s, _ in stored if s == name) == sum(1 for s, _ in feeder.added
                                                             if s == name)


async def test_a_new_sink_sends_what_the_last_one_spooled(victoria: Victoria,
                                                          tmp_path: Path) -> None:
    config = influx_config(victoria.url, batch_size=250)
    await victoria.stop()
    sink, metrics = make_sink(config, tmp_path)
    await sink.start()
    base = now_ms() - 60_000
    added = [("s0", base + n) for n in range(1000)]
    for series, ts in added:
        sink.add(f"probe,app=outage,check={series} up=1i {ts}")
    await sink.close()
    assert metric(metrics, "appmon_influx_spool_points") == 1000

    await victoria.start()
    again, metrics = make_sink(config, tmp_path)
    await again.start()
    await eventually(lambda: _equals(metric(metrics, "appmon_influx_spool_points"), 0),
                     timeout_s=20)
    await again.close()
    assert metric(metrics, "appmon_influx_points_written_total") == 1000
    assert await _stored(victoria) == Counter(added)


async def _equals(value: float, expected: float) -> bool:
    return value == expected
