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
from monitor.core.config.model import Config
from monitor.core.sqlite.schema import DB_FILE
from monitor.inventory import Audit, build_audit, render_html, to_json, to_xlsx
from monitor.inventory.quarter import QuarterEndsError, parse_quarter_ends
from monitor.ledger import MemoryLedger, SqliteLedger, StorageError, Tuning
from monitor.reports.files import json_bytes
from monitor.traffic.store import TrafficStore

FORMATS: Final = ("json", "html", "xlsx")
EXIT_STORAGE: Final = EXIT_DOWN  # the data could not be read: not the caller's argument's fault
EPILOG: Final = """\
exit status: 0 已写出 (written), 1 数据无法读取 (storage error),
             2 参数或配置错误 (bad arguments or invalid config)

classes (DOMAIN.md thresholds; the page and the JSON "rules" say how each figure is made):
  zombie 僵尸        no visitor for 90 recorded days (30 = warning), every check failing for
                     30 days, or no owner on record
  low_frequency 低频 monthly visitors (sum of daily uv) < max(10, 5% of target_users) for
                     3 full months running (1-2 = warning)
  low_availability   last full month < 99% (maintenance left out), or >= 5% failed probes in
  低可用             any of the last 4 weeks
deadline: 15 days before the quarter end, at least 14 days from today, at most the quarter end.
"""

# The audit's clock; tests substitute a fixed instant (time is the only thing they fake).
now_s: Callable[[], float] = time.time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `inventory` subcommands (called by monitor.cli)."""
    sub = parser.add_subparsers(dest="inventory", required=True, metavar="ACTION")
    audit = sub.add_parser(
        "audit", help="清单治理：完整性、重复、可达性、僵尸/低频/低可用分类与整改建议 "
        "(inventory audit: record gaps, duplicates, reachability, classes, rectification)",
        description="应用清单治理 (app inventory audit ahead of the quarterly notice)",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--config", required=True, help="配置文件 (config file, YAML)")
    audit.add_argument("--format", choices=FORMATS, default="json",
                       help="输出格式 (output format): json, html or xlsx; default json")
    audit.add_argument("--out", required=True,
                       help="输出文件，- 表示标准输出 (output file; - for stdout)")
    audit.add_argument("--quarter-ends", default=None, metavar="MM-DD,...",
                       help="季度末日期 (quarter ends, service.timezone; default "
                       "governance.quarter_ends, else 03-31,06-30,09-30,12-31)")


def run(args: argparse.Namespace) -> int:
    try:
        ends = parse_quarter_ends(args.quarter_ends) if args.quarter_ends else None
    except QuarterEndsError as exc:
        print(f"--quarter-ends 无效 (invalid): {exc}", file=sys.stderr)
        return EXIT_USAGE
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    if ends is None:
        ends = parse_quarter_ends(",".join(config.governance.quarter_ends))
    try:
        audit = asyncio.run(_audit(config, ends, now_s()))
    except StorageError as exc:
        print(f"无法读取数据 (cannot read the data): {exc}", file=sys.stderr)
        return EXIT_STORAGE
    return _write(args.out, encode(audit, args.format, config.service.language))


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


def _write(out: str, data: bytes) -> int:
    if (error := write_output(out, data)) is not None:
        print(f"无法写入 {out} (cannot write): {error}", file=sys.stderr)
        return EXIT_USAGE
    if out != "-":
        print(f"已写入 {out}")
    return EXIT_OK
