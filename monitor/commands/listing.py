"""`listing`: the apps' listing status (上架状态) and their rectification items (整改项).

    python -m monitor listing show --config FILE
    python -m monitor listing set --config FILE --app kq-oa --status listed --by 张三
    python -m monitor listing sync --config FILE
    python -m monitor listing items --config FILE [--all]
    python -m monitor listing progress --config FILE --id ZG-20261124-kq-oa --note "已合并" --done

`set` runs the pre-listing evaluation first (as `evaluate --config FILE --app ID`, same
probe options) and records its verdict with the change; listing an app that fails it is
refused unless --force. `sync` runs the inventory audit and opens, reminds and closes items,
queueing the owners' notices in the outbox (the running service sends them; it also syncs by
itself every governance.audit_interval). Safe beside a running service (same SQLite file, WAL).
Exit 0 done; 1 refused (evaluation failed) or storage error; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from alerting.store import AlertStore
from monitor.commands import listingview as view
from monitor.commands.common import EXIT_DOWN, EXIT_OK, EXIT_USAGE, load_or_report
from monitor.commands.evaluate import add_probe_arguments, app_url, evaluate_target, options_from
from monitor.commands.words import say
from monitor.core.config.model import Config
from monitor.core.logs import mask_text
from monitor.governance.evaluate import to_json as evaluation_json
from monitor.governance.listing.lifecycle import (
    ListingError,
    ListingRefusedError,
    add_progress,
    change_status,
)
from monitor.governance.listing.model import STATUSES
from monitor.governance.listing.runner import audit_and_sync
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, StorageError, Tuning

T = TypeVar("T")
# The clock; tests substitute a fixed instant.
now_s: Callable[[], float] = time.time


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The `listing` subcommands (called by monitor.cli), their help in `lang`."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = say(lang, "listing.epilog")
    sub = parser.add_subparsers(dest="listing", required=True, metavar="ACTION")

    def action(name: str) -> argparse.ArgumentParser:
        help_text = say(lang, f"listing.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--config", required=True, help=say(lang, "help.config"))
        return p

    def table_or_json(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("table", "json"), default="table",
                       help=say(lang, "help.table_json"))

    p = action("show")
    p.add_argument("--app", help=say(lang, "help.app_only"))
    table_or_json(p)
    p = action("set")
    p.add_argument("--app", required=True, help=say(lang, "help.app_id"))
    p.add_argument("--status", required=True, choices=STATUSES, help=say(lang, "listing.status"))
    p.add_argument("--by", default=None, help=say(lang, "listing.by"))
    p.add_argument("--note", default="", help=say(lang, "listing.note"))
    p.add_argument("--force", action="store_true", help=say(lang, "listing.force"))
    p.add_argument("--no-check", action="store_true", help=say(lang, "listing.no_check"))
    add_probe_arguments(p, lang)
    table_or_json(action("sync"))
    p = action("items")
    p.add_argument("--all", action="store_true", help=say(lang, "listing.all"))
    p.add_argument("--app", help=say(lang, "help.app_only"))
    table_or_json(p)
    p = action("progress")
    p.add_argument("--id", required=True, dest="item_id", help=say(lang, "listing.item_id"))
    p.add_argument("--note", required=True, help=say(lang, "listing.progress_note"))
    p.add_argument("--by", default=None, help=say(lang, "listing.noted_by"))
    p.add_argument("--done", action="store_true", help=say(lang, "listing.done"))


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    app_id = getattr(args, "app", None)
    if app_id and config.app(app_id) is None:
        print(say(lang, "listing.unknown_app", app=app_id, config=args.config), file=sys.stderr)
        return EXIT_USAGE
    actions: dict[str, Callable[[argparse.Namespace, Config], Coroutine[object, object, int]]] = {
        "show": _show, "set": _set, "sync": _sync, "items": _items, "progress": _progress}
    try:
        return asyncio.run(actions[args.listing](args, config))
    except StorageError as exc:
        print(say(lang, "error.storage", detail=exc), file=sys.stderr)
        return EXIT_DOWN


async def _with_listing(config: Config, work: Callable[[ListingStore], Awaitable[T]]) -> T:
    listing = await ListingStore.open(Path(config.service.data_dir))
    try:
        return await work(listing)
    finally:
        await listing.close()


async def _show(args: argparse.Namespace, config: Config) -> int:
    apps = [a for a in config.apps if args.app in (None, a.id)]
    statuses = await _with_listing(config, lambda store: store.statuses(apps))
    tz = ZoneInfo(config.service.timezone)
    if args.format == "json":
        _print_json({"apps": [view.status_row_json(statuses[a.id], a, tz) for a in apps]})
    else:
        print(view.status_table(apps, statuses, tz, config.service.language))
    return EXIT_OK


async def _set(args: argparse.Namespace, config: Config) -> int:
    app = config.app(args.app)
    assert app is not None
    lang = config.service.language
    evaluation, report = None, None
    if not args.no_check:
        url = app_url(app)
        if url is None:
            print(say(lang, "listing.no_url", app=app.id), file=sys.stderr)
            return EXIT_USAGE
        print(say(lang, "listing.evaluating", app=app.id, url=mask_text(url)), file=sys.stderr)
        evaluation = await evaluate_target(url, options_from(args, config, lang), config, app)
        report = evaluation_json(evaluation)
    by = args.by or _user()

    async def record(store: ListingStore) -> int:
        current = (await store.statuses([app]))[app.id]
        try:
            change = await change_status(store, app, current, args.status,
                                         evaluation=evaluation, report=report, by=by,
                                         note=args.note, now=now_s(), force=args.force)
        except ListingRefusedError as exc:
            print(exc.text(lang), file=sys.stderr)
            for reason in exc.reasons:
                print(f"  - {reason}", file=sys.stderr)
            return EXIT_DOWN
        except ListingError as exc:
            print(exc.text(lang), file=sys.stderr)
            return EXIT_USAGE
        print(view.change_line(change, app, lang))
        return EXIT_OK

    return await _with_listing(config, record)


async def _sync(args: argparse.Namespace, config: Config) -> int:
    data_dir = Path(config.service.data_dir)
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=config.service.raw_retention_s,
                                     tuning=Tuning(prune_interval_s=None))
    try:
        alerts = await AlertStore.open(data_dir)
        traffic = await TrafficStore.open(data_dir)
        try:
            plan = await _with_listing(config, lambda listing: audit_and_sync(
                config, ledger, alerts, traffic, listing, now=now_s()))
        finally:
            await traffic.close()
            await alerts.close()
    finally:
        await ledger.close()
    tz = ZoneInfo(config.service.timezone)
    if args.format == "json":
        _print_json(view.plan_json(plan, tz, now_s()))
    else:
        print(view.plan_text(plan, config.service.language))
    return EXIT_OK


async def _items(args: argparse.Namespace, config: Config) -> int:
    items = await _with_listing(config, lambda store: store.items(
        open_only=not args.all, app_id=args.app))
    tz = ZoneInfo(config.service.timezone)
    if args.format == "json":
        _print_json(view.items_json(items, tz, now_s()))
    else:
        print(view.items_table(items, tz, now_s(), config.service.language))
    return EXIT_OK


async def _progress(args: argparse.Namespace, config: Config) -> int:
    try:
        item = await _with_listing(config, lambda store: add_progress(
            store, args.item_id, by=args.by or _user(), note=args.note, done=args.done,
            now=now_s()))
    except ListingError as exc:
        print(exc.text(config.service.language), file=sys.stderr)
        return EXIT_USAGE
    lang = config.service.language
    print(say(lang, "listing.closed" if args.done else "listing.noted", id=item.id))
    return EXIT_OK


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _print_json(body: object) -> None:
    print(json.dumps(body, ensure_ascii=False, indent=2))
