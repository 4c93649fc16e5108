"""`inventory audit`: the app inventory audit (应用清单治理) ahead of the quarterly notice.

    python -m monitor inventory audit --config FILE --format xlsx --out 清单治理.xlsx
    python -m monitor inventory audit --config FILE --format json --out - \\
        --quarter-ends 03-31,06-30,09-30,12-31

Reads what the service recorded in data_dir (check states and hourly rollups, maintenance
windows, daily traffic; one SQLite file, safe beside a running service thanks to WAL) and the
config's own files; starts nothing and changes nothing. Without a ledger in data_dir yet, the
record checks (missing fields, duplicates, owner) still run and the rest reads "unknown".
The file is written to a temporary beside --out and renamed, so no reader sees half of it.
Exit 0 when written; 2 for a bad argument (invalid config, --quarter-ends, unwritable --out);
1 when the data cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from alerting.store import AlertStore
from monitor.commands.common import (
    EXIT_DOWN,
    EXIT_OK,
    EXIT_USAGE,
    load_or_report,
    write_output,
)
from monitor.commands.words import cli_language, problem_text, say
from monitor.core.config.model import Config
from monitor.core.sqlite.schema import DB_FILE
from monitor.governance.inventory import Audit, build_audit, render_html, to_json, to_xlsx
from monitor.governance.inventory.quarter import QuarterEndsError, parse_quarter_ends
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import MemoryLedger, SqliteLedger, StorageError, Tuning
from monitor.reports.files import json_bytes

FORMATS: Final = ("json", "html", "xlsx")
EXIT_STORAGE: Final = EXIT_DOWN  # the data could not be read: not the caller's argument's fault
# The audit's clock; tests substitute a fixed instant (time is the only thing they fake).
now_s: Callable[[], float] = time.time


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The `inventory` subcommands (called by monitor.cli), their help in `lang`."""
    sub = parser.add_subparsers(dest="inventory", required=True, metavar="ACTION")
    audit = sub.add_parser(
        "audit", help=say(lang, "inventory.audit"),
        description=say(lang, "inventory.audit_description"),
        epilog=say(lang, "inventory.epilog"), formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--config", required=True, help=say(lang, "help.config"))
    audit.add_argument("--format", choices=FORMATS, default="json",
                       help=say(lang, "inventory.format"))
    audit.add_argument("--out", required=True, help=say(lang, "help.out_dash"))
    audit.add_argument("--quarter-ends", default=None, metavar="MM-DD,...",
                       help=say(lang, "inventory.quarter_ends"))


def run(args: argparse.Namespace) -> int:
    try:
        ends = parse_quarter_ends(args.quarter_ends) if args.quarter_ends else None
    except QuarterEndsError as exc:  # before the config: in the command line's language
        lang = cli_language()
        print(say(lang, "inventory.bad_quarter_ends", detail=problem_text(exc, lang)),
              file=sys.stderr)
        return EXIT_USAGE
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    if ends is None:
        ends = parse_quarter_ends(",".join(config.governance.quarter_ends))
    try:
        audit = asyncio.run(_audit(config, ends, now_s()))
    except StorageError as exc:
        print(say(lang, "error.storage_read", detail=exc), file=sys.stderr)
        return EXIT_STORAGE
    return _write(args.out, encode(audit, args.format, lang), lang)


def encode(audit: Audit, fmt: str, lang: str = "zh-CN") -> bytes:
    if fmt == "json":
        return json_bytes(to_json(audit))
    if fmt == "html":
        return render_html(audit, lang).encode("utf-8")
    return to_xlsx(audit)


async def _audit(config: Config, ends: Sequence[tuple[int, int]], now: float) -> Audit:
    data_dir = Path(config.service.data_dir)
    if not (data_dir / DB_FILE).is_file():
        # Opening the stores would create data_dir and the file: an audit writes nothing.
        empty = MemoryLedger()
        try:
            return await build_audit(config, empty, None, None, now=now, quarter_ends=ends,
                                     has_probe_data=False)
        finally:
            await empty.close()
    # No timer pruning: an audit must not delete anything.
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=config.service.raw_retention_s,
                                     tuning=Tuning(prune_interval_s=None))
    try:
        alerts = await AlertStore.open(data_dir)
        try:
            traffic = await TrafficStore.open(data_dir)
            try:
                return await build_audit(config, ledger, alerts, traffic, now=now,
                                         quarter_ends=ends)
            finally:
                await traffic.close()
        finally:
            await alerts.close()
    finally:
        await ledger.close()


def _write(out: str, data: bytes, lang: str) -> int:
    if (error := write_output(out, data)) is not None:
        print(say(lang, "error.write", path=out, detail=error), file=sys.stderr)
        return EXIT_USAGE
    if out != "-":
        print(say(lang, "done.written", path=out))
    return EXIT_OK
