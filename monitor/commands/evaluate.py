"""`evaluate --url URL | --config FILE --app ID`: the pre-listing evaluation (上架前评估).

Exit status: 0 pass or conditional pass (the app may be listed, conditions attached), 1 fail,
2 bad arguments (unknown app, bad URL, unreadable CA file, invalid config).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
from pathlib import Path

from monitor.commands.common import (
    EXIT_DOWN,
    EXIT_OK,
    EXIT_USAGE,
    load_or_report,
    write_output,
)
from monitor.commands.words import ArgumentKinds, cli_language, problem_text, say
from monitor.core.catalog import LANGS
from monitor.core.config.model import AppConfig, Config
from monitor.core.sqlite.schema import DB_FILE
from monitor.governance.evaluate import EvaluationOptions, evaluate, to_html, to_json
from monitor.governance.evaluate.model import Evaluation
from monitor.governance.evaluate.ports import DEFAULT_PORT_TIMEOUT_S, HIGH_RISK_PORTS
from monitor.governance.evaluate.security import endpoints
from monitor.governance.evaluate.texts import t
from monitor.ledger import SqliteLedger, StorageError, Tuning


def add_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    """The options of `evaluate` (called by monitor.cli), their help in `lang`."""
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = say(lang, "evaluate.epilog", ports=",".join(map(str, HIGH_RISK_PORTS)))
    p.add_argument("--url", help=say(lang, "evaluate.url"))
    p.add_argument("--config", help=say(lang, "evaluate.config"))
    p.add_argument("--app", help=say(lang, "evaluate.app"))
    p.add_argument("--format", choices=("json", "html"), default="json",
                   help=say(lang, "evaluate.format"))
    p.add_argument("--out", help=say(lang, "evaluate.out"))
    p.add_argument("--lang", choices=LANGS, help=say(lang, "evaluate.lang"))
    add_probe_arguments(p, lang)


def add_probe_arguments(p: argparse.ArgumentParser, lang: str) -> None:
    """How the evaluation probes (shared with `listing set`, which evaluates on a change)."""
    kinds = ArgumentKinds(lang)
    p.add_argument("--ca-file", help=say(lang, "evaluate.ca_file"))
    p.add_argument("--http-port", type=kinds.port, default=80,
                   help=say(lang, "evaluate.http_port"))
    p.add_argument("--ports", type=kinds.ports, default=tuple(HIGH_RISK_PORTS),
                   help=say(lang, "evaluate.ports"))
    p.add_argument("--port-timeout", type=kinds.duration, default=DEFAULT_PORT_TIMEOUT_S,
                   help=say(lang, "evaluate.port_timeout"))
    p.add_argument("--timeout", type=kinds.duration, default=15.0,
                   help=say(lang, "evaluate.timeout"))
    p.add_argument("--burst", type=kinds.positive, default=20, help=say(lang, "evaluate.burst"))
    p.add_argument("--burst-interval", type=kinds.duration, default=0.5,
                   help=say(lang, "evaluate.burst_interval"))
    p.add_argument("--trial-days", type=kinds.positive, default=14,
                   help=say(lang, "evaluate.trial_days"))


def run(args: argparse.Namespace) -> int:
    config: Config | None = None
    if args.config:
        config = load_or_report(Path(args.config), args.lang)
        if config is None:
            return EXIT_USAGE
    # --lang, else the config's language, else the command line's (MONITOR_LANG).
    lang = args.lang or (config.service.language if config else cli_language())
    problem, app, url = _target(args, config, lang)
    if problem:
        print(say(lang, "evaluate.problem", problem=problem), file=sys.stderr)
        return EXIT_USAGE
    assert url is not None
    opts = options_from(args, config, lang)
    ev = asyncio.run(evaluate_target(url, opts, config, app))
    body = to_html(ev) if args.format == "html" else (
        json.dumps(to_json(ev), ensure_ascii=False, indent=2) + "\n")
    if not _write(args.out, body, lang):
        return EXIT_USAGE
    score = ev.score if ev.score is not None else "-"
    print(f"{t(lang, 'page.verdict')}: {t(lang, f'verdict.{ev.verdict}')} ({score}/100)"
          + (f" -> {args.out}" if args.out else ""), file=sys.stderr)
    return EXIT_DOWN if ev.verdict == "fail" else EXIT_OK


def options_from(args: argparse.Namespace, config: Config | None, lang: str) -> EvaluationOptions:
    return EvaluationOptions(
        lang=lang, timezone=config.service.timezone if config else "Asia/Shanghai",
        ca_file=args.ca_file, http_port=args.http_port, ports=args.ports,
        port_timeout_s=args.port_timeout, timeout_s=args.timeout, burst=args.burst,
        burst_interval_s=args.burst_interval, trial_days=args.trial_days,
    )


def _target(
    args: argparse.Namespace, config: Config | None, lang: str
) -> tuple[str | None, AppConfig | None, str | None]:
    """(problem, app, url): exactly what to evaluate, or why the arguments do not say (in
    `lang`)."""
    app: AppConfig | None = None
    url: str | None = args.url
    if args.app:
        if config is None:
            return say(lang, "evaluate.app_needs_config"), None, None
        app = config.app(args.app)
        if app is None:
            return say(lang, "error.unknown_app", config=args.config, app=args.app), None, None
        url = url or app_url(app)
        if url is None:
            return say(lang, "evaluate.no_url", app=args.app), None, None
    if url is None:
        return say(lang, "evaluate.no_target"), None, None
    try:
        endpoints(url)
    except ValueError as exc:
        return say(lang, "evaluate.bad_url", detail=problem_text(exc, lang)), None, None
    if args.ca_file and not Path(args.ca_file).is_file():
        return say(lang, "evaluate.no_ca_file", path=args.ca_file), None, None
    return None, app, url


def app_url(app: AppConfig) -> str | None:
    """Where an app is evaluated: its `url`, else its first http check's."""
    return app.url or _first_http_url(app)


def _first_http_url(app: AppConfig) -> str | None:
    for check in app.checks:
        if check.kind == "http":
            return str(check.spec.url)
    return None


async def evaluate_target(
    url: str, opts: EvaluationOptions, config: Config | None, app: AppConfig | None
) -> Evaluation:
    if config is None or app is None:
        return await evaluate(url, opts, app=app)
    data_dir = Path(config.service.data_dir)
    if not (data_dir / DB_FILE).is_file():  # never watched: a burst it is
        return await evaluate(url, opts, app=app)
    try:
        # Read only in effect: no pruning timer, and nothing is recorded before close.
        ledger = await SqliteLedger.open(data_dir, raw_retention_s=config.service.raw_retention_s,
                                         tuning=Tuning(prune_interval_s=None))
    except (StorageError, sqlite3.Error, OSError) as exc:
        print(say(opts.lang, "evaluate.ledger_unreadable", detail=exc), file=sys.stderr)
        return await evaluate(url, opts, app=app)
    try:
        return await evaluate(url, opts, app=app, ledger=ledger)
    finally:
        await ledger.close()


def _write(out: str | None, body: str, lang: str) -> bool:
    if (error := write_output(out, body.encode("utf-8"))) is not None:
        problem = say(lang, "error.write", path=out, detail=error)
        print(say(lang, "evaluate.problem", problem=problem), file=sys.stderr)
        return False
    return True
