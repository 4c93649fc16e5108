"""`bench`: the scheduler, probes, metrics and ledger against a local target farm.

The farm runs in a subprocess so its CPU is not counted. Figures printed: probes/s, CPU ms per
probe of this process (all threads, so the ledger writer is included), start lateness p50/p99,
missed runs, and RSS per check. Nothing here is asserted: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import psutil

from monitor.benchfarm import start_bench_farm
from monitor.commands.words import ArgumentKinds, say
from monitor.core.config.model import (
    AppConfig,
    CheckConfig,
    Config,
    Defaults,
    ServiceConfig,
    SlaConfig,
)
from monitor.core.logs import configure_logging
from monitor.eventloop import run_on
from monitor.service import Service
from probes.http import HttpSpec

# How often the progress line is refreshed.
PROGRESS_EVERY_S: Final = 2.0


@dataclass(frozen=True)
class BenchFigures:
    checks: int
    interval_s: float
    duration_s: float
    probes: int
    probes_per_s: float
    cpu_ms_per_probe: float
    lateness_p50_ms: float
    lateness_p99_ms: float
    missed_runs: int
    failed_probes: int
    rss_mb: float
    rss_kb_per_check: float
    ledger_bytes: int

    def lines(self) -> list[str]:
        return [
            f"checks               {self.checks} http, interval {self.interval_s:g}s, "
            f"measured {self.duration_s:g}s",
            f"probes/s             {self.probes_per_s:.1f}  ({self.probes} probes, "
            f"{self.failed_probes} failed)",
            f"CPU per probe        {self.cpu_ms_per_probe:.3f} ms",
            f"start lateness       p50 {self.lateness_p50_ms:.1f} ms, "
            f"p99 {self.lateness_p99_ms:.1f} ms",
            f"missed runs          {self.missed_runs}",
            f"RSS                  {self.rss_mb:.1f} MB, {self.rss_kb_per_check:.1f} KB per check",
            f"ledger on disk       {self.ledger_bytes / 1e6:.1f} MB",
        ]


def bench_config(checks: int, interval_s: float, ports: list[int], data_dir: Path) -> Config:
    apps = tuple(
        AppConfig(
            id=f"bench-{i:05d}", name=f"压测应用{i}", department=f"部门{i % 20}",
            category="压测", tier=1 + i % 3, owner=None, notify=(),
            checks=(CheckConfig(
                id="home", kind="http",
                spec=HttpSpec(url=f"http://127.0.0.1:{ports[i % len(ports)]}/health/{i}"),
                interval_s=interval_s, timeout_s=min(5.0, interval_s), confirm=2, recover=2,
            ),),
        )
        for i in range(checks)
    )
    return Config(
        source=Path("<bench>"),
        service=ServiceConfig(data_dir=str(data_dir), max_concurrency=2000),
        influxdb=None, defaults=Defaults(), sla=SlaConfig(), apps=apps, notifiers={},
        escalation=(),
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(checks: int, interval_s: float, duration_s: float, warmup_s: float,
                  farm_ports: int) -> BenchFigures:
    proc = psutil.Process()
    with tempfile.TemporaryDirectory(prefix="appmon-bench-") as tmp:
        farm = await asyncio.to_thread(start_bench_farm, farm_ports)
        try:
            rss_before = proc.memory_info().rss
            service = Service(bench_config(checks, interval_s, farm.ports, Path(tmp)),
                              serve_http=False)
            await service.start()
            try:
                await _progress("warm-up", warmup_s, service)
                stats = service.scheduler.stats
                stats.lateness_s.clear()
                runs0, missed0 = stats.runs, stats.missed
                failed0 = _failed(service)
                cpu0, t0 = _cpu_s(), time.monotonic()
                await _progress("measuring", duration_s, service)
                cpu1, t1 = _cpu_s(), time.monotonic()
                probes = stats.runs - runs0
                lateness = list(stats.lateness_s)
                missed = stats.missed - missed0
                failed = _failed(service) - failed0
                rss_after = proc.memory_info().rss
                ledger_bytes = service.ledger.stats().db_bytes
            finally:
                await service.stop()
        finally:
            await asyncio.to_thread(farm.stop)
    return BenchFigures(
        checks=checks, interval_s=interval_s, duration_s=round(t1 - t0, 1), probes=probes,
        probes_per_s=probes / (t1 - t0),
        cpu_ms_per_probe=(cpu1 - cpu0) * 1000 / max(1, probes),
        lateness_p50_ms=percentile(lateness, 0.5) * 1000,
        lateness_p99_ms=percentile(lateness, 0.99) * 1000,
        missed_runs=missed, failed_probes=failed,
        rss_mb=rss_after / 1e6, rss_kb_per_check=(rss_after - rss_before) / 1024 / checks,
        ledger_bytes=ledger_bytes,
    )


async def _progress(phase: str, seconds: float, service: Service) -> None:
    """Wait `seconds`, showing elapsed time and runs on stderr (a long command shows progress)."""
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        print(f"\r{phase}: {elapsed:5.0f}/{seconds:.0f}s  runs {service.scheduler.stats.runs}",
              end="", file=sys.stderr, flush=True)
        await asyncio.sleep(min(PROGRESS_EVERY_S, seconds - elapsed))
    print(file=sys.stderr)


def _failed(service: Service) -> int:
    return sum(s.failures_total for s in service.ledger.check_states().values())


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads: the ledger writer counts
    return usage.ru_utime + usage.ru_stime


def add_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    """The options of `bench` (called by monitor.cli), their help in `lang`; durations are
    read by argparse, so a bad one is refused as a usage error."""
    kinds = ArgumentKinds(lang)
    p.add_argument("--checks", type=kinds.positive, default=1000, help=say(lang, "bench.checks"))
    p.add_argument("--interval", type=kinds.duration, default="10s",
                   help=say(lang, "bench.interval"))
    p.add_argument("--duration", type=kinds.duration, default="60s",
                   help=say(lang, "bench.duration"))
    p.add_argument("--warmup", type=kinds.duration, default=None, help=say(lang, "bench.warmup"))
    p.add_argument("--farm-ports", type=kinds.positive, default=16,
                   help=say(lang, "bench.farm_ports"))
    p.add_argument("--event-loop", choices=("uvloop", "asyncio"), default="uvloop",
                   help=say(lang, "bench.event_loop"))
    p.add_argument("--json", action="store_true", help=say(lang, "help.json"))


def run(args: argparse.Namespace) -> int:
    configure_logging("error", "json")
    interval_s: float = args.interval
    warmup_s: float = interval_s + 2.0 if args.warmup is None else args.warmup
    figures = run_on(args.event_loop, measure(
        args.checks, interval_s, args.duration, warmup_s, args.farm_ports,
    ))
    if args.json:
        print(json.dumps(figures.__dict__, indent=2))
    else:
        print("\n".join(figures.lines()))
    return 0
