"""`traffic import`: count page views and visitors from web server access logs.

    python -m monitor traffic import --config FILE --app kq-oa /var/log/nginx/access.log.1 \
        /var/log/nginx/access.log.2.gz

Reads nginx/Apache combined (or common) format, plain or gzip; each file is counted once
(see monitor.traffic.importer for duplicates and overlapping files). Safe beside a running
service: the counts go into the same data_dir file, in one short transaction per file.
One line per file on stdout; progress of big files, unparseable lines (first few, as
FILE:LINE: ...) and skipped duplicates on stderr.
Exit 0 when every file was imported (or skipped as already imported, or empty); 1 when a file
could not be read or is not an access log, or the store failed; 2 for bad arguments (invalid
config, unknown app, a missing file).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from monitor.commands.common import EXIT_DOWN, EXIT_OK, EXIT_USAGE, load_or_report
from monitor.core.config.model import Config
from monitor.core.errors import StorageError
from monitor.traffic.accesslog import Progress, Rules
from monitor.traffic.importer import FileResult, LogImporter
from monitor.traffic.store import TrafficStore

_STATUS = {"imported": "已导入 imported", "duplicate": "已跳过 skipped",
           "empty": "空文件 empty", "failed": "失败 failed"}  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `traffic` subcommands (called by monitor.cli)."""
    sub = parser.add_subparsers(dest="traffic", required=True, metavar="ACTION")
    p = sub.add_parser("import", help="导入访问日志 (import access logs)",
                       description="从 nginx/Apache 访问日志统计访问量 (count page views and "
                       "visitors from access logs; .gz accepted; each file counted once)")
    p.add_argument("--config", required=True, help="配置文件 (config file, YAML)")
    p.add_argument("--app", required=True, dest="app_id", help="应用编号 (the app id)")
    p.add_argument("--visitor", choices=("ip-ua", "ip"), default="ip-ua",
                   help="访客识别：IP+UA（默认）或仅 IP (what makes a visitor unique)")
    p.add_argument("--skip-prefix", action="append", default=[], metavar="PATH",
                   help="不计入浏览量的路径前缀，可重复，如 /api/ (paths not counted as page "
                   "views; repeatable)")
    p.add_argument("files", nargs="+", metavar="FILE", help="访问日志 (access log files)")


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    if config.app(args.app_id) is None:
        print(f"未知应用 unknown app {args.app_id!r} (not in {args.config})", file=sys.stderr)
        return EXIT_USAGE
    paths = [Path(name) for name in args.files]
    missing = [path for path in paths if not path.is_file()]
    for path in missing:
        print(f"{path}: 文件不存在 no such file", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    rules = Rules(visitor_key=args.visitor, skip_prefixes=tuple(args.skip_prefix))
    try:
        results = asyncio.run(_import(config, args.app_id, paths, rules))
    except StorageError as exc:
        print(f"存储错误 storage error: {exc}", file=sys.stderr)
        return EXIT_DOWN
    return EXIT_DOWN if any(r.status == "failed" for r in results) else EXIT_OK


async def _import(config: Config, app_id: str, paths: list[Path], rules: Rules
                  ) -> list[FileResult]:
    store = await TrafficStore.open(Path(config.service.data_dir))
    try:
        importer = LogImporter(store, config)
        results = []
        for path in paths:
            result = await importer.import_file(app_id, path, rules, _show_progress)
            _report(result)
            results.append(result)
        return results
    finally:
        await store.close()


def _report(result: FileResult) -> None:
    scan = result.scan
    if scan is not None:
        for line, why in scan.examples:
            print(f"{result.path}:{line}: 无法解析 unparseable: {why}", file=sys.stderr)
        if scan.bad_lines > len(scan.examples):
            print(f"{result.path}: {scan.bad_lines} 行无法解析 unparseable lines in all",
                  file=sys.stderr)
    text = f"{result.path}: {_STATUS[result.status]}: {result.message}"
    print(text, file=sys.stdout if result.status == "imported" else sys.stderr)


def _show_progress(p: Progress) -> None:
    share = f"{100 * p.done_bytes / p.total_bytes:.0f}%" if p.total_bytes else "?"
    print(f"{p.path}: {share} ({p.done_bytes / 1e6:.1f} MB / {p.total_bytes / 1e6:.1f} MB), "
          f"{p.lines:,} lines", file=sys.stderr, flush=True)
