"""`report monthly|incident`: the monthly quality report and an incident's analysis report.

    python -m monitor report monthly --config FILE --month 2026-11 --format json --out r.json
    python -m monitor report incident --config FILE --id ID --format json --out i.json

Reads what the service recorded in data_dir (ledger and alert store, the same SQLite file,
safe beside a running service thanks to WAL) and starts nothing: no probes, no notifications.
Exit 0 when written; 2 for a bad argument (month, unknown id, invalid config, a format not
yet available, an unwritable --out); 1 when the data cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from alerting.store import AlertStore
from monitor.commands.common import EXIT_DOWN, EXIT_OK, EXIT_USAGE, load_or_report
from monitor.config.model import Config
from monitor.ledger import SqliteLedger, StorageError, Tuning
from monitor.ledger.schema import DB_FILE
from monitor.reports import (
    MonthError,
    build_incident_report,
    build_monthly,
    incident_report_json,
    to_json,
)
from monitor.reports.period import month_period
from monitor.reports.texts import ZH, report_text

T = TypeVar("T")
FORMATS = ("html", "pdf", "json")
EXIT_STORAGE = EXIT_DOWN  # the data could not be read: not the caller's argument's fault


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `report` subcommands (called by monitor.cli)."""
    sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    monthly = sub.add_parser("monthly", help="运维月报 (monthly quality report)",
                             description="运维月报 (monthly quality report, CONTRACT.md §5)")
    monthly.add_argument("--month", required=True, help="月份 YYYY-MM，按 service.timezone "
                         "(the month, in service.timezone)")
    incident = sub.add_parser("incident", help="故障分析报告 (incident analysis report)",
                              description="故障分析报告 (incident analysis report)")
    incident.add_argument("--id", required=True, dest="incident_id",
                          help="故障 ID (incident id)")
    for p in (monthly, incident):
        p.add_argument("--config", required=True, help="配置文件 (config file, YAML)")
        p.add_argument("--format", choices=FORMATS, default="json",
                       help="输出格式 (output format; html and pdf are not yet available)")
        p.add_argument("--out", required=True,
                       help="输出文件，- 表示标准输出 (output file; - for stdout)")


def run(args: argparse.Namespace) -> int:
    if args.format != "json":
        print(report_text(ZH, "cli.format_unavailable", format=args.format.upper()),
              file=sys.stderr)
        return EXIT_USAGE
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    now = time.time()
    if args.report == "monthly":
        try:  # checked before any file is opened
            month_period(args.month, ZoneInfo(config.service.timezone), now)
        except MonthError:
            print(report_text(lang, "cli.bad_month", detail=args.month), file=sys.stderr)
            return EXIT_USAGE
    data_dir = Path(config.service.data_dir)
    if not (data_dir / DB_FILE).is_file():
        print(report_text(lang, "cli.no_data", path=data_dir), file=sys.stderr)
        return EXIT_USAGE
    try:
        body = asyncio.run(_with_stores(config, lambda ledger, store: _build(
            args, config, ledger, store, now)))
    except StorageError as exc:
        print(report_text(lang, "cli.storage", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    if body is None:
        print(report_text(lang, "cli.not_found", id=args.incident_id), file=sys.stderr)
        return EXIT_USAGE
    return _write(args.out, body, lang)


async def _build(args: argparse.Namespace, config: Config, ledger: SqliteLedger,
                 store: AlertStore, now: float) -> dict[str, Any] | None:
    if args.report == "monthly":
        return to_json(await build_monthly(config, ledger, store, args.month, now))
    report = await build_incident_report(config, ledger, store, args.incident_id, now)
    return None if report is None else incident_report_json(report)


async def _with_stores(
    config: Config, work: Callable[[SqliteLedger, AlertStore], Awaitable[T]]
) -> T:
    """Open the ledger and the alert store on data_dir, run `work`, close both."""
    data_dir = Path(config.service.data_dir)
    # No timer pruning: a report must not delete anything.
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=config.service.raw_retention_s,
                                     tuning=Tuning(prune_interval_s=None))
    try:
        store = await AlertStore.open(data_dir)
        try:
            return await work(ledger, store)
        finally:
            await store.close()
    finally:
        await ledger.close()


def _write(out: str, body: dict[str, Any], lang: str) -> int:
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if out == "-":
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # a reader never sees half a report
    except OSError as exc:
        print(report_text(lang, "cli.write_failed", path=out, detail=exc), file=sys.stderr)
        return EXIT_USAGE
    print(report_text(lang, "cli.written", path=out))
    return EXIT_OK
