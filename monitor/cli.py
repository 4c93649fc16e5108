"""`python -m monitor <command>`: argument parsing and dispatch (CONTRACT.md §1).

Help and argument errors are in MONITOR_LANG (zh-CN unless it says en, see
monitor.commands.words), argparse's own words included (monitor.commands.argwords); a command
that loads a config speaks its service.language from then on.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from monitor.commands import bench, check, demo, evaluate, report, run, traffic, validate
from monitor.commands import inventory as inventory_cmd
from monitor.commands import listing as listing_cmd
from monitor.commands.argwords import argparse_in
from monitor.commands.words import cli_language, say
from monitor.core.logs import configure_logging

Command = Callable[[argparse.Namespace], int]


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser with its help in `lang` (default MONITOR_LANG). argparse's own words follow
    `lang` only when it is built and used inside `argparse_in(lang)`, as `main` does."""
    lang = lang or cli_language()
    parser = argparse.ArgumentParser(prog="python -m monitor",
                                     description=say(lang, "prog.description"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Command) -> argparse.ArgumentParser:
        help_text = say(lang, f"cmd.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def config_argument(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", required=True, help=say(lang, "help.config"))

    config_argument(command("run", run.run))
    config_argument(command("validate", validate.run))

    p = command("check", check.run)
    config_argument(p)
    p.add_argument("--app", help=say(lang, "check.app"))
    p.add_argument("--json", action="store_true", help=say(lang, "check.json"))

    report.add_arguments(command("report", report.run), lang)
    evaluate.add_arguments(command("evaluate", evaluate.run), lang)
    inventory_cmd.add_arguments(command("inventory", inventory_cmd.run), lang)
    listing_cmd.add_arguments(command("listing", listing_cmd.run), lang)
    traffic.add_arguments(command("traffic", traffic.run), lang)

    p = command("demo", demo.run)
    p.add_argument("--port", type=int, default=8080, help=say(lang, "demo.port"))
    p.add_argument("--data-dir", help=say(lang, "demo.data_dir"))
    p.add_argument("--outage-after", type=float, default=60.0,
                   help=say(lang, "demo.outage_after"))
    p.add_argument("--outage-for", type=float, default=60.0, help=say(lang, "demo.outage_for"))
    p.add_argument("--gateway-after", type=float, default=150.0,
                   help=say(lang, "demo.gateway_after"))
    p.add_argument("--gateway-for", type=float, default=90.0, help=say(lang, "demo.gateway_for"))
    p.add_argument("--duration", type=float, default=0.0, help=say(lang, "demo.duration"))

    bench.add_arguments(command("bench", bench.run), lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    lang = cli_language()
    with argparse_in(lang):
        args = build_parser(lang).parse_args(argv)
    # Quiet by default: commands that run the service reconfigure from service.log_level.
    configure_logging("warning", "auto")
    handler: Command = args.handler
    return handler(args)
