"""`report monthly|incident`: the monthly quality report and an incident's analysis report.

    python -m monitor report monthly --config FILE --month 2026-11 --format json --out r.json
    python -m monitor report incident --config FILE --id ID --format json --out i.json

    python -m monitor report monthly --config FILE --month 2026-11 --format pdf --out r.pdf
    python -m monitor report quarterly --config FILE --quarter 2026Q4 --format pdf --out q.pdf
    python -m monitor report incident --config FILE --id ID --format docx --out i.docx

Reads what the service recorded in data_dir (ledger and alert store, the same SQLite file,
safe beside a running service thanks to WAL) and starts nothing: no probes, no notifications.
html and pdf are the same page (monitor.reports.render), in service.language; docx is that
page's content as a Word document (monitor.reports.docx), for a centre to edit and stamp. The
file is written to a temporary beside --out and renamed, so no reader sees half a report.
Exit 0 when written; 2 for a bad argument (month, unknown id, invalid config, an unwritable
--out); 1 when the data cannot be read or the PDF cannot be drawn.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from alerting.store import AlertStore
from monitor.commands.common import (
    EXIT_DOWN,
    EXIT_OK,
    EXIT_USAGE,
    load_or_report,
    write_output,
)
from monitor.commands.words import say
from monitor.core.config.model import Config
from monitor.core.sqlite.schema import DB_FILE
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, StorageError, Tuning
from monitor.reports import (
    MonthError,
    build_incident_report,
    build_monthly,
)
from monitor.reports.docx import report_docx
from monitor.reports.encoding import Report, encode
from monitor.reports.period import month_period
from monitor.reports.quarterly import QuarterError, resolve_quarter
from monitor.reports.quarterly.build import word as quarter_word
from monitor.reports.quarterly.output import FORMATS as QUARTERLY_FORMATS
from monitor.reports.quarterly.output import quarterly_bytes
from monitor.reports.render import (
    RenderError,
)
from monitor.reports.texts import report_text

T = TypeVar("T")
FORMATS = ("html", "pdf", "json", "docx")
EXIT_STORAGE = EXIT_DOWN  # the data could not be read: not the caller's argument's fault


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The `report` subcommands (called by monitor.cli), their help in `lang`."""
    sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    monthly = sub.add_parser("monthly", help=say(lang, "report.monthly"),
                             description=say(lang, "report.monthly_description"))
    monthly.add_argument("--month", required=True, help=say(lang, "report.month"))
    incident = sub.add_parser("incident", help=say(lang, "report.incident"),
                              description=say(lang, "report.incident"))
    incident.add_argument("--id", required=True, dest="incident_id",
                          help=say(lang, "report.id"))
    _add_quarterly(sub, lang)
    for p in (monthly, incident):
        p.add_argument("--config", required=True, help=say(lang, "help.config"))
        p.add_argument("--format", choices=FORMATS, default="json",
                       help=say(lang, "report.format"))
        p.add_argument("--out", required=True, help=say(lang, "help.out_dash"))


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    now = time.time()
    if args.report == "quarterly":
        return _run_quarterly(args, config, now)
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
        report = asyncio.run(_with_stores(config, lambda ledger, store: _build(
            args, config, ledger, store, now)))
    except StorageError as exc:
        print(report_text(lang, "cli.storage", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    if report is None:
        print(report_text(lang, "cli.not_found", id=args.incident_id), file=sys.stderr)
        return EXIT_USAGE
    try:
        data = report_docx(report) if args.format == "docx" else encode(report, args.format)
    except RenderError as exc:
        print(report_text(lang, "cli.render_failed", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    return _write(args.out, data, lang)


async def _build(args: argparse.Namespace, config: Config, ledger: SqliteLedger,
                 store: AlertStore, now: float) -> Report | None:
    if args.report == "monthly":
        listing = await ListingStore.open(Path(config.service.data_dir))
        traffic = await TrafficStore.open(Path(config.service.data_dir))
        try:
            return await build_monthly(config, ledger, store, args.month, now, listing=listing,
                                       traffic=traffic)
        finally:
            await traffic.close()
            await listing.close()
    return await build_incident_report(config, ledger, store, args.incident_id, now)


def _add_quarterly(sub: Any, lang: str) -> None:
    """`report quarterly --quarter 2026Q4`: the quarterly watch report (季度通报预警)."""
    parser = sub.add_parser("quarterly", help=quarter_word(lang, "cli.help"),
                            description=quarter_word(lang, "cli.help"))
    parser.add_argument("--quarter", required=True, help=quarter_word(lang, "cli.quarter"))
    parser.add_argument("--config", required=True, help=say(lang, "help.config"))
    parser.add_argument("--format", choices=QUARTERLY_FORMATS, default="json",
                        help=say(lang, "report.format"))
    parser.add_argument("--out", required=True, help=say(lang, "help.out_dash"))


def _run_quarterly(args: argparse.Namespace, config: Config, now: float) -> int:
    lang = config.service.language
    try:  # checked before any file is opened
        quarter = resolve_quarter(config, args.quarter)
        if dt.datetime.fromtimestamp(now, ZoneInfo(config.service.timezone)).date() \
                < quarter.start:
            print(quarter_word(lang, "cli.not_started", quarter=quarter.code,
                               start=quarter.start.isoformat()), file=sys.stderr)
            return EXIT_USAGE
    except QuarterError:
        print(quarter_word(lang, "cli.bad_quarter", detail=args.quarter,
                           count=len(config.governance.quarter_ends)), file=sys.stderr)
        return EXIT_USAGE
    if not (Path(config.service.data_dir) / DB_FILE).is_file():
        print(report_text(lang, "cli.no_data", path=config.service.data_dir), file=sys.stderr)
        return EXIT_USAGE
    try:
        data = asyncio.run(quarterly_bytes(config, quarter, args.format, now=now))
    except StorageError as exc:
        print(report_text(lang, "cli.storage", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    except RenderError as exc:
        print(report_text(lang, "cli.render_failed", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    return _write(args.out, data, lang)


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


def _write(out: str, data: bytes, lang: str) -> int:
    if (error := write_output(out, data)) is not None:
        print(report_text(lang, "cli.write_failed", path=out, detail=error), file=sys.stderr)
        return EXIT_USAGE
    if out != "-":
        print(report_text(lang, "cli.written", path=out))
    return EXIT_OK
