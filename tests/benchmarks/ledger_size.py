"""How big the ledger gets and what writing costs: a simulated month through the real write path.

    .venv/bin/python tests/benchmarks/ledger_size.py [--checks 100] [--days 30] [--interval 60]

Every check runs every `--interval` seconds of simulated time; results go through
`SqliteLedger.record()` and `flush()` exactly as in the service, with a clock whose wall time is
simulated (monotonic time stays real, so flush timings are real). The flush timer is bypassed:
the script flushes every `--flush-every` simulated seconds and prunes raw results past
`--retention-days` once a simulated day. At the end it reads every check's month of hourly
rollups back and merges their histograms, as the monthly report does.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from monitor.core.clock import Clock
from monitor.core.logs import configure_logging
from monitor.core.sqlite.schema import DB_FILE
from monitor.ledger import LatencyHistogram, SqliteLedger, Tuning
from probes.base import ErrorKind, ProbeResult, Timings

DAY_S = 86400.0
START = 1_761_955_200.0  # 2025-11-01T00:00:00Z


class SimulatedClock(Clock):
    """Wall time set by the simulation; monotonic time real (flush durations are measured)."""

    def __init__(self, now: float) -> None:
        self.wall = now

    def now(self) -> float:
        return self.wall


@dataclass
class Totals:
    results: int = 0
    record_s: float = 0.0
    flush_s: float = 0.0
    prune_s: float = 0.0
    pruned: int = 0


def make_results(checks: int, ts: float, rng: random.Random) -> list[tuple[str, ProbeResult]]:
    """One run of every check at `ts`: ~0.5 % failures, log-normal latencies around 50-400 ms."""
    runs = []
    for n in range(checks):
        latency = rng.lognormvariate(math.log(0.05 + (n % 8) * 0.05), 0.5)
        timings = Timings(latency, 0.002, 0.004, 0.012, latency * 0.8)
        if rng.random() < 0.005:
            result = ProbeResult(
                False, ts, Timings(15.0), ErrorKind.TIMEOUT, "no answer within 15s"
            )
        else:
            result = ProbeResult(True, ts, timings, None, "200 OK", 200, 60.0)
        runs.append((f"check-{n}", result))
    return runs


async def simulate(args: argparse.Namespace, data_dir: Path) -> None:
    clock = SimulatedClock(START)
    tuning = Tuning(flush_interval_s=10 * 365 * DAY_S, prune_interval_s=None)
    ledger = await SqliteLedger.open(
        data_dir, raw_retention_s=args.retention_days * DAY_S, clock=clock, tuning=tuning
    )
    rng, totals = random.Random(1), Totals()
    steps = int(args.days * DAY_S / args.interval)
    per_flush = max(1, int(args.flush_every / args.interval))
    per_day = int(DAY_S / args.interval)
    for step in range(1, steps + 1):
        clock.wall = START + step * args.interval
        runs = make_results(args.checks, clock.wall, rng)
        started = time.perf_counter()
        for check_id, result in runs:
            ledger.record(f"app-{check_id}", check_id, "http", result)
        totals.record_s += time.perf_counter() - started
        totals.results += len(runs)
        if step % per_flush == 0 or step == steps:
            started = time.perf_counter()
            await ledger.flush()
            totals.flush_s += time.perf_counter() - started
        if step % per_day == 0:
            started = time.perf_counter()
            totals.pruned += await ledger.prune(clock.wall)
            totals.prune_s += time.perf_counter() - started
    merge_s = await merge_month(ledger, args.checks, args.days)
    stats = ledger.stats()
    await ledger.close()
    report(args, data_dir / DB_FILE, totals, stats.writer_cpu_seconds, stats.dropped_total, merge_s)


async def merge_month(ledger: SqliteLedger, checks: int, days: float) -> float:
    """Read and merge every check's hourly histograms over the month, as reports do."""
    started = time.perf_counter()
    for n in range(checks):
        rollups = await ledger.hourly(f"app-check-{n}", f"check-{n}", START, START + days * DAY_S)
        merged = LatencyHistogram.merged(r.histogram for r in rollups)
        assert merged.quantile(0.99) is not None
    return time.perf_counter() - started


def report(
    args: argparse.Namespace,
    db: Path,
    totals: Totals,
    writer_cpu_s: float,
    dropped: int,
    merge_s: float,
) -> None:
    with sqlite3.connect(db) as conn:
        results = conn.execute("SELECT count(*) FROM results").fetchone()[0]
        hourly = conn.execute("SELECT count(*) FROM hourly").fetchone()[0]
        by_table = table_bytes(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_bytes = db.stat().st_size
    n = totals.results
    per_batch = args.checks * args.flush_every / args.interval
    print(
        f"simulated: {args.checks} checks x {args.days:g} days every {args.interval:g}s "
        f"= {n:,} results; raw retention {args.retention_days:g} days; flush every "
        f"{args.flush_every:g}s simulated ({per_batch:,.0f} results/batch)"
    )
    print(f"db bytes total:            {db_bytes:,} ({db_bytes / 1e6:.1f} MB, after checkpoint)")
    print(f"bytes per check per month: {db_bytes / args.checks * 30 / args.days:,.0f}")
    for name, size in by_table:
        print(f"  {name:<24} {size:>14,} bytes")
    rollup_bytes = dict(by_table).get("hourly", 0)
    if rollup_bytes:
        monthly = rollup_bytes / args.checks * 30 / args.days
        print(f"  of which rollups (kept forever) grow {monthly:,.0f} bytes per check per month")
    print(
        f"rows: results {results:,} (pruned {totals.pruned:,}), hourly {hourly:,}, "
        f"dropped {dropped}"
    )
    write_s = totals.record_s + totals.flush_s
    print(f"write throughput:          {n / write_s:,.0f} results/s (record + flush, wall)")
    print(f"record() on the loop:      {totals.record_s / n * 1e6:.2f} us per result")
    print(f"writer CPU:                {writer_cpu_s / n * 1e6:.2f} us per result (thread time)")
    print(f"prune:                     {totals.prune_s:.2f} s total for {totals.pruned:,} rows")
    per_1000 = merge_s / args.checks * 1000
    print(
        f"monthly merge:             {merge_s:.2f} s for {args.checks} checks x "
        f"{args.days * 24:g} hours ({per_1000:.1f} s per 1,000 checks)"
    )


def table_bytes(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Bytes per table and index, where SQLite was built with the dbstat table."""
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(str(name), int(size)) for name, size in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=100)
    parser.add_argument("--days", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs")
    parser.add_argument("--retention-days", type=float, default=7.0)
    parser.add_argument("--flush-every", type=float, default=600.0, help="simulated seconds")
    parser.add_argument("--dir", type=Path, help="keep the database here (default: a temp dir)")
    args = parser.parse_args()
    configure_logging("warning", "console")  # per-batch debug events would drown the figures
    started = time.perf_counter()
    if args.dir:
        asyncio.run(simulate(args, args.dir))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(simulate(args, Path(tmp)))
    print(f"benchmark wall time:       {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
