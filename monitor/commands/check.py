"""`check --config FILE [--app ID]`: run every check once and print a table."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from monitor.commands.common import EXIT_DOWN, EXIT_OK, EXIT_USAGE, load_or_report
from monitor.commands.words import say
from monitor.core.clock import SYSTEM_CLOCK
from monitor.core.config.model import Config
from monitor.core.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from monitor.core.i18n import error_label, text
from monitor.ledger.memory import MemoryLedger
from monitor.metrics import Metrics
from monitor.scheduler import ScheduledCheck, Scheduler
from monitor.table import render_table
from probes.base import ProbeResult
from probes.context import ProbeResources


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    lang = config.service.language
    if args.app and config.app(args.app) is None:
        print(say(lang, "error.unknown_app", config=args.config, app=args.app), file=sys.stderr)
        return EXIT_USAGE
    results = asyncio.run(run_all(config, args.app))
    if args.json:
        print(json.dumps([result_json(s, r) for s, r in results], ensure_ascii=False, indent=2))
    else:
        print(render_table(
            [text(lang, k) for k in ("col.app", "col.check", "col.status", "col.latency",
                                     "col.detail")],
            [result_row(lang, s, r) for s, r in results],
        ))
        down = sum(1 for _, r in results if not r.ok)
        print()
        print(text(lang, "check.summary", total=len(results), up=len(results) - down, down=down))
    return EXIT_DOWN if any(not r.ok for _, r in results) else EXIT_OK


async def run_all(config: Config, app_id: str | None) -> list[tuple[ScheduledCheck, ProbeResult]]:
    ledger = MemoryLedger(raw_retention_s=config.service.raw_retention_s, clock=SYSTEM_CLOCK)
    resources = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
    scheduler = Scheduler(
        ledger=ledger, metrics=Metrics(), resources=resources,
        clock=SYSTEM_CLOCK, max_concurrency=config.service.max_concurrency,
    )
    try:
        await scheduler.prepare(config)
        scheduler.apply(config)
        return await scheduler.run_once(app_id)
    finally:
        await resources.close()
        await ledger.close()


def result_row(lang: str, scheduled: ScheduledCheck, result: ProbeResult) -> list[str]:
    # The message is the catalog's reason in `lang` (the scheduler localises it); a result
    # without one is named by its error kind.
    detail = result.message if result.ok or result.reason is not None else (
        f"{error_label(lang, result.error_kind)}: {result.message}")
    check = scheduled.check
    return [
        f"{scheduled.app.name} ({scheduled.app.id})",
        f"{check.title(lang)} ({check.id})",
        result.outcome,
        f"{result.latency_s * 1000:.0f} ms",
        detail,
    ]


def result_json(scheduled: ScheduledCheck, result: ProbeResult) -> dict[str, object]:
    return {
        "app": scheduled.app.id, "check": scheduled.check.id, "kind": scheduled.check.kind,
        "status": result.outcome, "latency_ms": round(result.latency_s * 1000, 1),
        "error_kind": result.error_kind, "message": result.message,
        "status_code": result.status_code, "cert_days_left": result.cert_days_left,
        "step": result.step,
    }
