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
from monitor.core.config.model import AppConfig, Config
from monitor.core.fields import parse_duration
from monitor.core.sqlite.schema import DB_FILE
from monitor.evaluate import EvaluationOptions, evaluate, to_html, to_json
from monitor.evaluate.model import Evaluation
from monitor.evaluate.ports import DEFAULT_PORT_TIMEOUT_S, HIGH_RISK_PORTS, parse_ports
from monitor.evaluate.security import endpoints
from monitor.evaluate.texts import t
from monitor.ledger import SqliteLedger, StorageError, Tuning

EPILOG = """\
exit status: 0 通过或条件通过 (pass or conditional pass), 1 不通过 (fail),
             2 参数错误 (bad arguments: unknown app, bad URL, invalid config)

verdict: fail when a blocking item fails (HTTPS redirect, TLS version, TLS 1.0/1.1 accepted,
  certificate, high-risk ports, availability < 99%, p95 > 15s); conditional (条件通过) when
  only warnings or other items fail (missing security headers, leaked versions); else pass.

examples:
  python -m monitor evaluate --url https://oa.example.org/ --format html --out oa.html
  python -m monitor evaluate --config config/example.yaml --app kq-oa --format json

--ports: the ports tried on the app's host, comma-separated, "none" to skip; default
  {ports}.
  Tests point --url at 127.0.0.1 and pass the free ports their own listeners hold.
--http-port: where plain HTTP is tried for the redirect when --url is https (default 80).
--config/--app: availability and latency come from the ledger in service.data_dir (last
  --trial-days of hourly rollups); without ledger data, from a burst of --burst probes.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EPILOG.format(ports=",".join(map(str, HIGH_RISK_PORTS)))
    p.add_argument("--url", help="应用入口地址 (the app's URL, http:// or https://)")
    p.add_argument("--config", help="配置文件；与 --app 一起使用试运行期账本数据 (config file)")
    p.add_argument("--app", help="配置中的应用 id (app id in the config; needs --config)")
    p.add_argument("--format", choices=("json", "html"), default="json",
                   help="输出格式 (output format; default json)")
    p.add_argument("--out", help="输出文件，省略时写到标准输出 (output file; default stdout)")
    p.add_argument("--lang", choices=("zh-CN", "en"),
                   help="语言，默认取配置 service.language 或 zh-CN (language)")
    add_probe_arguments(p)


def add_probe_arguments(p: argparse.ArgumentParser) -> None:
    """How the evaluation probes (shared with `listing set`, which evaluates on a change)."""
    p.add_argument("--ca-file", help="额外信任的 CA 证书 PEM (extra CA to trust)")
    p.add_argument("--http-port", type=_port, default=80,
                   help="HTTP 跳转检查的端口 (plain HTTP port for the redirect check)")
    p.add_argument("--ports", type=_ports, default=tuple(HIGH_RISK_PORTS),
                   help="要检查的高危端口，逗号分隔 (high-risk ports to try, comma-separated)")
    p.add_argument("--port-timeout", type=_duration, default=DEFAULT_PORT_TIMEOUT_S,
                   help="端口连接超时 (connect timeout per port, e.g. 1500ms)")
    p.add_argument("--timeout", type=_duration, default=15.0,
                   help="单次请求超时 (timeout of one request; default 15s)")
    p.add_argument("--burst", type=_positive, default=20,
                   help="无账本数据时的即时探测次数 (probes in the burst; default 20)")
    p.add_argument("--burst-interval", type=_duration, default=0.5,
                   help="即时探测间隔 (spacing of the burst; default 500ms)")
    p.add_argument("--trial-days", type=_positive, default=14,
                   help="试运行期天数 (trial period read from the ledger; default 14)")


def run(args: argparse.Namespace) -> int:
    config: Config | None = None
    if args.config:
        config = load_or_report(Path(args.config))
        if config is None:
            return EXIT_USAGE
    problem, app, url = _target(args, config)
    if problem:
        print(f"evaluate: {problem}", file=sys.stderr)
        return EXIT_USAGE
    assert url is not None
    lang = args.lang or (config.service.language if config else "zh-CN")
    opts = options_from(args, config, lang)
    ev = asyncio.run(evaluate_target(url, opts, config, app))
    body = to_html(ev) if args.format == "html" else (
        json.dumps(to_json(ev), ensure_ascii=False, indent=2) + "\n")
    if not _write(args.out, body):
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
    args: argparse.Namespace, config: Config | None
) -> tuple[str | None, AppConfig | None, str | None]:
    """(problem, app, url): exactly what to evaluate, or why the arguments do not say."""
    app: AppConfig | None = None
    url: str | None = args.url
    if args.app:
        if config is None:
            return "--app needs --config", None, None
        app = config.app(args.app)
        if app is None:
            return f"{args.config}: unknown app id {args.app!r}", None, None
        url = url or app_url(app)
        if url is None:
            return f"app {args.app!r} has no url and no http check to take one from", None, None
    if url is None:
        return "give --url URL, or --config FILE --app ID", None, None
    try:
        endpoints(url)
    except ValueError as exc:
        return f"bad URL: {exc}", None, None
    if args.ca_file and not Path(args.ca_file).is_file():
        return f"--ca-file {args.ca_file}: no such file", None, None
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
        print(f"evaluate: ledger not readable ({exc}); using a burst of probes", file=sys.stderr)
        return await evaluate(url, opts, app=app)
    try:
        return await evaluate(url, opts, app=app, ledger=ledger)
    finally:
        await ledger.close()


def _write(out: str | None, body: str) -> bool:
    if (error := write_output(out, body.encode("utf-8"))) is not None:
        print(f"evaluate: cannot write {out}: {error}", file=sys.stderr)
        return False
    return True


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _ports(text: str) -> tuple[int, ...]:
    try:
        return parse_ports(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(text: str) -> int:
    ports = _ports(text)
    if len(ports) != 1:
        raise argparse.ArgumentTypeError(f"expected one port, got {text!r}")
    return ports[0]


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return int(text)
