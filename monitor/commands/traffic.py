"""`traffic import`: count page views and visitors from web server access logs.

    python -m monitor traffic import --config FILE --app kq-oa /var/log/nginx/access.log.1 \
        /var/log/nginx/access.log.2.gz

Reads nginx/Apache combined (or common) format, plain or gzip; each file is counted once
(see monitor.governance.traffic.importer for duplicates and overlapping files). Safe
beside a running service: the counts go into the same data_dir file, in one short transaction
per file. One line per file on stdout; progress of big files, unparseable lines (first few, as
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
from monitor.commands.words import say
from monitor.core.config.model import Config
from monitor.core.errors import StorageError
from monitor.governance.traffic.accesslog import Progress, Rules
from monitor.governance.traffic.importer import FileResult, LogImporter
from monitor.governance.traffic.store import TrafficStore


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The `traffic` subcommands (called by monitor.cli), their help in `lang`."""
    sub = parser.add_subparsers(dest="traffic", required=True, metavar="ACTION")
    p = sub.add_parser("import", help=say(lang, "traffic.import"),
                       description=say(lang, "traffic.import_description"))
    p.add_argument("--config", required=True, help=say(lang, "help.config"))
    p.add_argument("--app", required=True, dest="app_id", help=say(lang, "help.app_id"))
    p.add_argument("--visitor", choices=("ip-ua", "ip"), default="ip-ua",
                   help=say(lang, "traffic.visitor"))
    p.add_argument("--skip-prefix", action="append", default=[], metavar="PATH",
                   help=say(lang, "traffic.skip_prefix"))
    p.add_argument("files", nargs="+", metavar="FILE", help=say(lang, "traffic.files"))


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    if config.app(args.app_id) is None:
        print(say(lang, "listing.unknown_app", app=args.app_id, config=args.config),
              file=sys.stderr)
        return EXIT_USAGE
    paths = [Path(name) for name in args.files]
    missing = [path for path in paths if not path.is_file()]
    for path in missing:
        print(say(lang, "error.no_such_file", path=path), file=sys.stderr)
    if missing:
        return EXIT_USAGE
    rules = Rules(visitor_key=args.visitor, skip_prefixes=tuple(args.skip_prefix))
    try:
        results = asyncio.run(_import(config, args.app_id, paths, rules))
    except StorageError as exc:
        print(say(lang, "error.storage", detail=exc), file=sys.stderr)
        return EXIT_DOWN
    return EXIT_DOWN if any(r.status == "failed" for r in results) else EXIT_OK


async def _import(config: Config, app_id: str, paths: list[Path], rules: Rules
                  ) -> list[FileResult]:
    lang = config.service.language
    store = await TrafficStore.open(Path(config.service.data_dir))

    def show_progress(progress: Progress) -> None:
        _show_progress(progress, lang)

    try:
        importer = LogImporter(store, config)
        results = []
        for path in paths:
            result = await importer.import_file(app_id, path, rules, show_progress)
            _report(result, lang)
            results.append(result)
        return results
    finally:
        await store.close()


def _report(result: FileResult, lang: str) -> None:
    """One line per file; the importer's own detail (its `message`) is passed on as it is."""
    scan = result.scan
    if scan is not None:
        for line, why in scan.examples:
            print(say(lang, "traffic.unparseable", path=result.path, line=line, why=why),
                  file=sys.stderr)
        if scan.bad_lines > len(scan.examples):
            print(say(lang, "traffic.unparseable_total", path=result.path, count=scan.bad_lines),
                  file=sys.stderr)
    text = say(lang, "traffic.result", path=result.path,
               status=say(lang, f"traffic.status.{result.status}"), detail=result.message)
    print(text, file=sys.stdout if result.status == "imported" else sys.stderr)


def _show_progress(p: Progress, lang: str) -> None:
    share = f"{100 * p.done_bytes / p.total_bytes:.0f}%" if p.total_bytes else "?"
    print(say(lang, "traffic.progress", path=p.path, share=share, done_mb=p.done_bytes / 1e6,
              total_mb=p.total_bytes / 1e6, lines=p.lines), file=sys.stderr, flush=True)
