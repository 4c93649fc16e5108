"""What the InfluxDB sink costs and how it rides out an outage, against a real VictoriaMetrics.

    .venv/bin/python tests/benchmarks/influx_sink.py [--checks 10000] [--interval 10]
        [--steady 30] [--burst 300000] [--outage 600] [--after 30]

Phases, all through `InfluxSink.add()` exactly as the service calls it (lines built by
`probe_line` from per-check series, as the scheduler hook does):

1. steady: `--checks` checks every `--interval` s (1,000 points/s by default) for `--steady` s;
   prints the achieved rate, the process CPU per point (line building included and excluded)
   and the event loop's worst lag.
2. outage: VictoriaMetrics stopped (SIGTERM) for `--outage` s while feeding continues; RSS and
   spool size every 30 s. Then started again: time to drain the spool and the drain rate, while
   feeding goes on for `--after` s.
3. burst: `--burst` points added as fast as the loop allows; prints the sustained points/s the
   sink pushes to VictoriaMetrics (time until the last one is written).
4. verify: every point added is in VictoriaMetrics exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from monitor.core.clock import SYSTEM_CLOCK
from monitor.core.config.model import AppConfig, CheckConfig, InfluxConfig
from monitor.core.fields import Secret
from monitor.core.logs import configure_logging
from monitor.influx.lines import Series
from monitor.influx.points import probe_line, probe_series
from monitor.influx.sink import InfluxSink
from monitor.metrics import Metrics
from probes.base import ErrorKind, ProbeResult, Timings
from tests.support.victoria import Victoria

PROCESS = psutil.Process()


def make_series(checks: int) -> list[Series]:
    apps = [AppConfig(id=f"app-{n:04d}", name=f"应用 {n}", department=f"部门{n % 40}",
                      category="办公协同", tier=1 + n % 3) for n in range(max(1, checks // 4))]
    return [probe_series(apps[n // 4], CheckConfig(f"check-{n % 4}", "http", None, 10.0, 5.0,
                                                   2, 2)) for n in range(checks)]


def result(rng: random.Random, at: float) -> ProbeResult:
    if rng.random() < 0.01:
        return ProbeResult(False, at, Timings(5.0), ErrorKind.TIMEOUT, "no answer within 5s")
    latency = rng.lognormvariate(math.log(0.08), 0.6)
    return ProbeResult(True, at, Timings(latency, 0.002, 0.004, 0.011, latency * 0.8),
                       message="200 OK", status_code=200, cert_days_left=61.5)


class NullSink:
    """Takes lines and does nothing: the feeder's own cost, subtracted from the sink's."""

    def add(self, line: str) -> None:
        pass


class Feeder:
    """Feeds every check once per interval at its own offset, like the scheduler's spread."""

    def __init__(self, sink: InfluxSink | NullSink, series: list[Series],
                 interval_s: float) -> None:
        self.sink, self.series, self.interval_s = sink, series, interval_s
        self.rng = random.Random(7)
        self.added = 0
        self.build_cpu_s = 0.0  # CPU spent building lines (the service pays it in its hook)
        self._next = 0  # index of the next check to run
        self._round_start: float | None = None  # set when feeding first starts

    async def run(self, seconds: float | None = None, stop: asyncio.Event | None = None) -> None:
        """Feed for `seconds`, or until `stop` is set."""
        round_start = self._round_start if self._round_start is not None else time.time()
        end = time.monotonic() + seconds if seconds is not None else math.inf
        per_s = len(self.series) / self.interval_s
        while time.monotonic() < end and not (stop and stop.is_set()):
            due = int((time.time() - round_start) * per_s)
            lines = []
            cpu = time.process_time()
            while self._next < min(due, len(self.series)):
                at = round_start + self._next / per_s
                lines.append(probe_line(self.series[self._next], result(self.rng, at)))
                self._next += 1
            self.build_cpu_s += time.process_time() - cpu
            for line in lines:
                self.sink.add(line)
            self.added += len(lines)
            if self._next >= len(self.series):
                self._next, round_start = 0, round_start + self.interval_s
            await asyncio.sleep(0.005)
        self._round_start = round_start


class LoopLag:
    """How late a 10 ms timer fires: what a probe's timing would suffer from the sink."""

    def __init__(self) -> None:
        self.samples: list[float] = []

    async def run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.samples.append(time.perf_counter() - started - 0.01)

    def take(self) -> str:
        samples, self.samples = sorted(self.samples), []
        if not samples:
            return "n/a"
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        return f"p99 {p99 * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms"


def gauge(metrics: Metrics, name: str) -> float:
    return metrics.registry.get_sample_value(name) or 0.0


async def wait_for(check: Callable[[], bool], timeout_s: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout_s:
            raise RuntimeError("timed out")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def feed_cpu_per_point(feeder: Feeder, seconds: float) -> tuple[float, int]:
    """(process CPU s, points) of `seconds` of feeding."""
    cpu, added = time.process_time(), feeder.added
    await feeder.run(seconds)
    return time.process_time() - cpu, feeder.added - added


async def steady(args: argparse.Namespace, sink: InfluxSink, feeder: Feeder, metrics: Metrics,
                 lag: LoopLag) -> None:
    # The same feeding into a sink that does nothing first: what remains is the sink's cost.
    baseline = Feeder(NullSink(), feeder.series, args.interval)
    base_cpu, base_points = await feed_cpu_per_point(baseline, min(args.steady, 10.0))
    lag.take()
    started = time.monotonic()
    cpu_s, points = await feed_cpu_per_point(feeder, args.steady)
    await sink.flush()
    elapsed = time.monotonic() - started
    sink_us = (cpu_s / points - base_cpu / base_points) * 1e6
    print(f"steady: {points:,} points in {elapsed:.1f} s = {points / elapsed:,.0f} points/s "
          f"({args.checks:,} checks every {args.interval:g} s), "
          f"{gauge(metrics, 'appmon_influx_points_written_total'):,.0f} written")
    print(f"  CPU per point: {sink_us:.1f} us the sink (add, batching, gzip, HTTP), "
          f"{base_cpu / base_points * 1e6:.1f} us the feeder (line building, loop); "
          f"loop lag {lag.take()}; RSS {PROCESS.memory_info().rss / 2**20:.1f} MiB")


async def burst(args: argparse.Namespace, feeder: Feeder, metrics: Metrics,
                lag: LoopLag) -> int:
    series, rng = feeder.series, feeder.rng
    base = time.time() - 86400  # yesterday: unique timestamps that do not collide with now
    lines = [probe_line(series[n % len(series)], result(rng, base + n / 1000))
             for n in range(args.burst)]
    written = gauge(metrics, "appmon_influx_points_written_total")
    await asyncio.sleep(0.05)  # the lag probe's timer, late because of the line building
    lag.take()
    cpu, started = time.process_time(), time.monotonic()
    for start in range(0, len(lines), 10_000):
        for line in lines[start:start + 10_000]:
            feeder.sink.add(line)
        await asyncio.sleep(0)
    added_s = time.monotonic() - started
    target = written + len(lines)
    await wait_for(lambda: gauge(metrics, "appmon_influx_points_written_total") >= target, 600)
    elapsed, cpu_s = time.monotonic() - started, time.process_time() - cpu
    print(f"burst: {len(lines):,} points added in {added_s:.2f} s, all written after "
          f"{elapsed:.2f} s = {len(lines) / elapsed:,.0f} points/s sustained; "
          f"CPU {cpu_s / len(lines) * 1e6:.1f} us/point; loop lag {lag.take()}")
    count = len(lines)
    del lines
    return count


async def outage(args: argparse.Namespace, sink: InfluxSink, feeder: Feeder, metrics: Metrics,
                 lag: LoopLag, server: Victoria) -> None:
    stop_feeding = asyncio.Event()
    feeding = asyncio.create_task(feeder.run(stop=stop_feeding))  # all through the outage
    await asyncio.sleep(2.0)
    await server.stop()
    print(f"outage: VictoriaMetrics stopped (SIGTERM) for {args.outage:g} s while feeding "
          f"{args.checks / args.interval:,.0f} points/s; RSS "
          f"{PROCESS.memory_info().rss / 2**20:.1f} MiB")
    started = time.monotonic()
    lag.take()
    while (left := args.outage - (time.monotonic() - started)) > 0:
        await asyncio.sleep(min(30.0, left))
        rss = PROCESS.memory_info().rss / 2**20
        spool_mib = gauge(metrics, "appmon_influx_spool_bytes") / 2**20
        print(f"  t={time.monotonic() - started:5.0f} s  RSS {rss:6.1f} MiB"
              f"  spool {spool_mib:7.2f} MiB"
              f"  spooled {gauge(metrics, 'appmon_influx_spool_points'):9,.0f} points"
              f"  in memory {gauge(metrics, 'appmon_influx_buffered_points'):6,.0f}"
              f"  loop lag {lag.take()}")
    backlog = gauge(metrics, "appmon_influx_spool_points")
    last_success = gauge(metrics, "appmon_influx_last_write_success_timestamp_seconds")
    await server.start()
    retry_s = await wait_for(lambda: gauge(
        metrics, "appmon_influx_last_write_success_timestamp_seconds") > last_success, 3600)
    drain_s = await wait_for(lambda: gauge(metrics, "appmon_influx_spool_points") == 0, 3600)
    print(f"restart: first write {retry_s:.1f} s after VictoriaMetrics was up (retry backoff); "
          f"{backlog:,.0f} spooled points drained {drain_s:.1f} s later = "
          f"{backlog / max(drain_s, 1e-9):,.0f} points/s while feeding went on; "
          f"time to drain {retry_s + drain_s:.1f} s")
    await asyncio.sleep(args.after)
    stop_feeding.set()
    await feeding
    await sink.flush()
    print(f"  after the restart: loop lag {lag.take()}; RSS "
          f"{PROCESS.memory_info().rss / 2**20:.1f} MiB; "
          f"{gauge(metrics, 'appmon_influx_points_written_total'):,.0f} written in all")


async def verify(server: Victoria, expected: int) -> None:
    samples = await server.export('probe_up{app=~"app-.*"}')
    unique = {(s.labels, s.ts_ms) for s in samples}
    ok = len(samples) == expected == len(unique)
    print(f"verify: {len(samples):,} points in VictoriaMetrics ({len(unique):,} distinct), "
          f"{expected:,} added -> {'OK' if ok else 'MISMATCH'}")
    if not ok:
        raise SystemExit(1)


async def main(args: argparse.Namespace) -> None:
    configure_logging("error", "console", stream=sys.stderr)
    binary = shutil.which("victoria-metrics")
    if binary is None:
        raise SystemExit("victoria-metrics is not installed (apt-get install victoria-metrics)")
    with tempfile.TemporaryDirectory(prefix="influx-bench-") as tmp:
        root = Path(tmp)
        server = Victoria(binary, root / "vmdata")
        await server.start()
        metrics = Metrics()
        config = InfluxConfig(url=server.url, org="keqiao", bucket="appmon",
                              token=Secret("bench-token"))
        sink = InfluxSink(config, data_dir=root / "data", clock=SYSTEM_CLOCK,
                          metrics=metrics.influx)
        await sink.start()
        lag = LoopLag()
        lag_task = asyncio.create_task(lag.run())
        feeder = Feeder(sink, make_series(args.checks), args.interval)
        try:
            await steady(args, sink, feeder, metrics, lag)
            if args.outage > 0:
                await outage(args, sink, feeder, metrics, lag, server)
            # Last: the burst's own list of lines would otherwise inflate the RSS shown above.
            burst_points = await burst(args, feeder, metrics, lag) if args.burst else 0
            await sink.close()
            await verify(server, feeder.added + burst_points)
        finally:
            lag_task.cancel()
            await server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between runs")
    parser.add_argument("--steady", type=float, default=30.0, help="seconds of steady feeding")
    parser.add_argument("--burst", type=int, default=300_000, help="points in the burst (0: none)")
    parser.add_argument("--outage", type=float, default=600.0, help="seconds VM is down (0: none)")
    parser.add_argument("--after", type=float, default=30.0,
                        help="seconds of feeding after the restart")
    asyncio.run(main(parser.parse_args()))
