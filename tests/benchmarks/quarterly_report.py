"""How long the quarterly watch report (季度通报预警) takes for a district-sized inventory.

    .venv/bin/python tests/benchmarks/quarterly_report.py [--apps 1000] [--out DIR]

N apps, each with one 1-minute check and an owner, from 2026-08-01 to the scheduled run on
2026-12-01 00:20 (Asia/Shanghai): the ledger's hourly rollups (about 2,900 rows per app) are
written directly in the ledger's schema and histogram codec, and daily traffic straight into
the traffic table. One app in five has a story the audit flags or warns about:

    i % 20 == 0   low availability: one hour in 40 of November failed whole (97.5 %)
    i % 20 == 1   zombie: no visitor since 2026-08-15
    i % 20 == 2   low frequency: one visitor a day against 1,000 target users (line 50)
    i % 20 == 3   zombie early warning: no visitor since 2026-10-20

Then a rectification round (audit + listing sync, as the service runs it) opens the items, a
progress note is added to each, and the report is built as the schedule builds it
(`build_quarterly` on the real stores), then rendered to JSON, HTML and PDF (WeasyPrint), each
timed; pages counted with pdfinfo. `--out DIR` keeps the files. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.core.logs import configure_logging
from monitor.core.sqlite.schema import DB_FILE, connect, migrate
from monitor.governance.listing.model import ProgressNote
from monitor.governance.listing.runner import audit_and_sync
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from monitor.ledger.rollup import HOUR_S, RollupAccumulator
from monitor.reports.quarterly import QuarterlyReport, build_quarterly, to_json
from monitor.reports.quarterly.view import render_quarterly_html
from monitor.reports.render import render_pdf
from probes.base import ErrorKind, ProbeResult, Timings

TZ = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 8, 1, tzinfo=TZ).timestamp()
NOW = dt.datetime(2026, 12, 1, 0, 20, tzinfo=TZ).timestamp()  # the scheduled run for 2026Q4
NOVEMBER = dt.datetime(2026, 11, 1, tzinfo=TZ).timestamp()


def config_text(data_dir: Path, apps: int) -> str:
    rows = "".join(
        f'  - {{ id: "app-{n:04d}", name: "应用{n}", department: "部门{n % 20}", '
        f'irs_id: "IRS-{n}", tier: {1 + n % 3}, target_users: 1000, '
        f'url: "https://a{n}.example.org/", '
        f'owner: {{ name: "负责人{n}", mobile: "1380000{n:04d}" }}, '
        f'checks: [{{ id: "home", kind: "http", url: "https://a{n}.example.org/" }}] }}\n'
        for n in range(apps))
    return textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
        apps:
        """) + rows


def hour_blob(runs: int, failures: int) -> tuple[int, int, float, float, bytes]:
    acc = RollupAccumulator()
    for n in range(runs):
        if n < failures:
            acc.add(ProbeResult(False, n, Timings(15.0), ErrorKind.TIMEOUT, "timeout"))
        else:
            acc.add(ProbeResult(True, n, Timings(0.05 + (n % 7) * 0.01)))
    return acc.runs, acc.failures, acc.latency_sum_s, acc.latency_max_s, acc.histogram.to_bytes()


def write_rollups(path: Path, apps: int) -> int:
    good, bad = hour_blob(60, 0), hour_blob(60, 60)
    conn = connect(path)
    migrate(conn)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO checks (id, app_id, check_id) VALUES (?, ?, 'home')",
                     [(i + 1, f"app-{i:04d}") for i in range(apps)])
    hours = int((NOW - START) // HOUR_S)
    rows = 0
    for i in range(apps):
        batch = []
        for h in range(hours):
            start = START + h * HOUR_S
            failed = i % 20 == 0 and start >= NOVEMBER and h % 40 == 0
            batch.append((i + 1, start, *(bad if failed else good)))
        conn.executemany("INSERT INTO hourly (check_ref, hour_start, runs, failures,"
                         " latency_sum_s, latency_max_s, histogram)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        rows += len(batch)
    conn.execute("COMMIT")
    conn.close()
    return rows


def visitors(i: int, day: dt.date) -> int:
    if i % 20 == 1:
        return 3 if day < dt.date(2026, 8, 15) else 0
    if i % 20 == 2:
        return 1
    if i % 20 == 3:
        return 40 if day < dt.date(2026, 10, 20) else 0
    return 100


def write_traffic(path: Path, apps: int) -> int:
    first, last = dt.date(2026, 6, 1), dt.date(2026, 11, 30)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    conn = connect(path)
    conn.execute("BEGIN")
    rows = [(f"app-{i:04d}", day.isoformat(), "push", visitors(i, day) * 3, visitors(i, day),
             START) for i in range(apps) for day in days]
    conn.executemany("INSERT INTO traffic (app_id, day, source, pv, uv, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    return len(rows)


async def open_items(config: Config, data_dir: Path) -> int:
    """A rectification round a day before, as the service runs it, then a note on each item."""
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    alerts = await AlertStore.open(data_dir)
    traffic = await TrafficStore.open(data_dir)
    listing = await ListingStore.open(data_dir)
    try:
        plan = await audit_and_sync(config, ledger, alerts, traffic, listing, now=NOW - 86400)
        noted = [dataclasses.replace(i).noted(ProgressNote(NOW - 3600, "王工", "已排查，整改中"))
                 for i in plan.opened]
        await listing.save_items(noted)
        return len(noted)
    finally:
        for store in (listing, traffic, alerts, ledger):
            await store.close()


async def build(config: Config, data_dir: Path) -> tuple[float, QuarterlyReport]:
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    alerts = await AlertStore.open(data_dir)
    traffic = await TrafficStore.open(data_dir)
    listing = await ListingStore.open(data_dir)
    try:
        started = time.perf_counter()
        report = await build_quarterly(config, ledger, "2026Q4", now=NOW, alerts=alerts,
                                       traffic=traffic, listing=listing)
        return time.perf_counter() - started, report
    finally:
        for store in (listing, traffic, alerts, ledger):
            await store.close()


def page_count(pdf: bytes) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    match = re.search(rb"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return match.group(1).decode() if match else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None, help="keep the HTML, PDF and JSON")
    args = parser.parse_args()
    configure_logging("warning")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        started = time.perf_counter()
        hourly = write_rollups(data_dir / DB_FILE, args.apps)
        daily = write_traffic(data_dir / DB_FILE, args.apps)
        path = Path(tmp) / "config.yaml"
        path.write_text(config_text(data_dir, args.apps), encoding="utf-8")
        config = load_config(path)
        items = asyncio.run(open_items(config, data_dir))
        print(f"== {args.apps} apps: {hourly:,} hourly rollups, {daily:,} traffic days, "
              f"{items} items opened; written in {time.perf_counter() - started:.1f} s ==")
        build_s, report = asyncio.run(build(config, data_dir))
        started = time.perf_counter()
        body = json.dumps(to_json(report), ensure_ascii=False).encode()
        json_s = time.perf_counter() - started
        started = time.perf_counter()
        html = render_quarterly_html(report)
        html_s = time.perf_counter() - started
        started = time.perf_counter()
        pdf = render_pdf(html)
        pdf_s = time.perf_counter() - started
        counts = {s.cls: (s.flagged, s.warning) for s in report.sections}
        print(f"apps at risk {report.apps_at_risk} (flagged, warning by class: {counts})")
        print(f"build  {build_s:7.2f} s   (inventory audit over the quarter + listing items)")
        print(f"json   {json_s:7.2f} s   {len(body) / 1e6:.1f} MB")
        print(f"html   {html_s:7.2f} s   {len(html.encode()) / 1e6:.1f} MB")
        print(f"pdf    {pdf_s:7.2f} s   {len(pdf) / 1e6:.1f} MB, {page_count(pdf)} pages")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "quarterly-2026Q4.json").write_bytes(body)
            (args.out / "quarterly-2026Q4.html").write_text(html, encoding="utf-8")
            (args.out / "quarterly-2026Q4.pdf").write_bytes(pdf)


if __name__ == "__main__":
    main()
