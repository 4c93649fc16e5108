"""How long the monthly report takes on a district-sized month, and how much memory it needs.

    .venv/bin/python tests/benchmarks/monthly_report.py [--apps 1000] [--days 30]

1,000 apps with one 1-minute check for 30 days are 43 M runs; recording them one by one would
take hours, so the month is written directly as what the ledger keeps of it: one hourly rollup
row per check and hour (720,000 rows), in the ledger's own schema and histogram codec
(`LatencyHistogram.to_bytes`, built by the writer's `RollupAccumulator` from real samples).
Plus an incident for one app in five and a few maintenance windows, through the alert store.
Then `build_monthly` + `to_json` + `json.dumps` run as `report monthly` runs them (SqliteLedger
and AlertStore opened on the file), timed, and once more under tracemalloc for the peak of
Python memory. Then the same report is rendered as HTML and as PDF (WeasyPrint), timed, and
the pages counted; `--out DIR` keeps the HTML and PDF. Nothing is asserted: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from alerting.engine import Policy, Step, acknowledge, resolve
from alerting.model import Entry, Incident, IncidentState, Severity, TimelineEntry
from alerting.store import AlertStore, Changes
from monitor.core.config.model import (
    AppConfig,
    CheckConfig,
    Config,
    Defaults,
    ServiceConfig,
    SlaConfig,
)
from monitor.core.logs import configure_logging
from monitor.core.sqlite.schema import DB_FILE, connect, migrate
from monitor.ledger import SqliteLedger, Tuning
from monitor.ledger.rollup import HOUR_S, RollupAccumulator
from monitor.reports import MonthlyReport, build_monthly, to_json
from monitor.reports.period import month_period
from monitor.reports.render import render_monthly_html, render_pdf
from probes.base import ErrorKind, ProbeResult, Timings
from probes.http import HttpSpec

MONTH = "2026-11"
TZ = "Asia/Shanghai"
VARIANTS = 64  # distinct hours per latency profile: rows pick one at random
PROFILES = 8
POLICY = Policy(confirm=2, recover=2, severity=Severity.MAJOR, escalation=(Step(0.0, ("app",)),),
                response_s=900.0, resolution_s=3600.0, reminder_s=None, flap_window_s=600.0)


def config(apps: int, data_dir: Path) -> Config:
    return Config(
        source=Path("<bench>"),
        service=ServiceConfig(data_dir=str(data_dir), timezone=TZ),
        influxdb=None, defaults=Defaults(), sla=SlaConfig(), notifiers={}, escalation=(),
        apps=tuple(
            AppConfig(
                id=f"app-{i:04d}", name=f"应用{i}", department=f"部门{i % 20}",
                category=f"类别{i % 5}", tier=1 + i % 3,
                checks=(CheckConfig(id="home", kind="http",
                                    spec=HttpSpec(url=f"https://a{i}.example.org/"),
                                    interval_s=60.0, timeout_s=15.0, confirm=2, recover=2),),
            )
            for i in range(apps)
        ),
    )  # fmt: skip


def hour_variants(rng: random.Random, runs_per_hour: int
                  ) -> list[list[tuple[int, int, float, float, bytes]]]:
    """Per profile, VARIANTS hours of real samples as (runs, failures, sum, max, blob)."""
    variants = []
    for profile in range(PROFILES):
        typical = 0.05 + profile * 0.05
        rows = []
        for _ in range(VARIANTS):
            acc = RollupAccumulator()
            for n in range(runs_per_hour):
                if rng.random() < 0.002:
                    acc.add(ProbeResult(False, n, Timings(15.0), ErrorKind.TIMEOUT, "timeout"))
                else:
                    latency = rng.lognormvariate(math.log(typical), 0.5)
                    acc.add(ProbeResult(True, n, Timings(latency)))
            rows.append((acc.runs, acc.failures, acc.latency_sum_s, acc.latency_max_s,
                         acc.histogram.to_bytes()))
        variants.append(rows)
    return variants


def write_rollups(path: Path, apps: int, start: float, hours: int, interval_s: float) -> int:
    rng = random.Random(7)
    variants = hour_variants(rng, round(HOUR_S / interval_s))
    conn = connect(path)
    migrate(conn)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO checks (id, app_id, check_id) VALUES (?, ?, 'home')",
                     [(i + 1, f"app-{i:04d}") for i in range(apps)])
    first_hour = int(start // HOUR_S) * HOUR_S
    rows = 0
    for i in range(apps):
        pool = variants[i % PROFILES]
        batch = [(i + 1, first_hour + h * HOUR_S, *pool[rng.randrange(VARIANTS)])
                 for h in range(hours)]
        conn.executemany("INSERT INTO hourly (check_ref, hour_start, runs, failures, latency_sum_s,"
                         " latency_max_s, histogram) VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        rows += len(batch)
    conn.execute("COMMIT")
    conn.close()
    return rows


async def write_alerts(data_dir: Path, apps: int, start: float, days: int) -> int:
    rng = random.Random(11)
    incidents = []
    for i in range(0, apps, 5):
        opened = start + rng.uniform(0, days * 86400 - 7200)
        inc = Incident(
            id=f"inc-{i}", app_id=f"app-{i:04d}", app_name=f"应用{i}", check_id="home",
            severity=Severity.MAJOR, state=IncidentState.OPEN, summary="timeout",
            started_at=opened - 120, opened_at=opened,
            timeline=(TimelineEntry(opened - 120, Entry.FIRST_FAILURE),
                      TimelineEntry(opened, Entry.OPENED)),
        )
        inc, _ = acknowledge(inc, "值班员", None, opened + rng.uniform(60, 1500), POLICY)
        inc, _ = resolve(inc, by=None, cause=None, note=None, now=opened + rng.uniform(600, 5400),
                         auto=True, policy=POLICY)
        incidents.append(inc)
    store = await AlertStore.open(data_dir)
    try:
        await store.apply(Changes(incidents=incidents))
        for n in range(4):
            begin = start + (7 * n + 3) * 86400
            await store.record_maintenance(f"weekly-{n}", "*", begin, begin + 7200)
    finally:
        await store.close()
    return len(incidents)


async def build(cfg: Config, data_dir: Path, now: float) -> tuple[float, int, MonthlyReport]:
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=7 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    store = await AlertStore.open(data_dir)
    try:
        started = time.perf_counter()
        report = await build_monthly(cfg, ledger, store, MONTH, now)
        text = json.dumps(to_json(report), ensure_ascii=False)
        return time.perf_counter() - started, len(text.encode()), report
    finally:
        await store.close()
        await ledger.close()


def page_count(pdf: bytes) -> str:
    """From poppler's pdfinfo when installed (the PDF's objects may be compressed)."""
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return match.group(1).decode() if match else "?"


def render(report: MonthlyReport, out: Path | None) -> None:
    """HTML and PDF of the built report, timed apart (the PDF is laid out from the HTML)."""
    started = time.perf_counter()
    html = render_monthly_html(report)
    html_s = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(html)
    pdf_s = time.perf_counter() - started
    print(f"render HTML          {html_s:.2f}s, {len(html.encode()) / 1e6:.2f} MB")
    print(f"render PDF           {pdf_s:.2f}s, {len(pdf) / 1e6:.2f} MB, {page_count(pdf)} pages")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"monthly-{MONTH}.html").write_text(html, encoding="utf-8")
        (out / f"monthly-{MONTH}.pdf").write_bytes(pdf)
        print(f"written              {out}")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between runs")
    parser.add_argument("--out", type=Path, default=None, help="keep the HTML and PDF here")
    args = parser.parse_args()
    configure_logging("error", "json")
    period = month_period(MONTH, ZoneInfo(TZ), time.time() + 400 * 86400)  # any later "now"
    now = period.end + 3600
    days = min(args.days, len(period.dates))
    with tempfile.TemporaryDirectory(prefix="appmon-monthly-") as tmp:
        data_dir = Path(tmp)
        started = time.perf_counter()
        rows = write_rollups(data_dir / DB_FILE, args.apps, period.start, days * 24,
                             args.interval)
        incidents = asyncio.run(write_alerts(data_dir, args.apps, period.start, days))
        size = (data_dir / DB_FILE).stat().st_size
        print(f"generated            {args.apps} apps x {days} days at {args.interval:g}s: "
              f"{rows:,} hourly rollups ({rows * HOUR_S / args.interval:,.0f} runs), "
              f"{incidents} incidents, {size / 1e6:.1f} MB, "
              f"{time.perf_counter() - started:.1f}s")
        cfg = config(args.apps, data_dir)
        rss_before = max_rss_mb()
        wall, size, report = asyncio.run(build(cfg, data_dir, now))
        print(f"build_monthly + JSON {wall:.2f}s wall, JSON {size / 1e6:.2f} MB")
        print(f"peak RSS             {max_rss_mb():.0f} MB (before the report: {rss_before:.0f} "
              "MB)")
        tracemalloc.start()
        traced_wall, _, _ = asyncio.run(build(cfg, data_dir, now))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python memory   {peak / 1e6:.1f} MB (tracemalloc; {traced_wall:.2f}s "
              "under tracing)")
        render(report, args.out)
        print(f"peak RSS after PDF   {max_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
