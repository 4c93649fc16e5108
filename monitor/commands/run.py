"""`run --config FILE`: the service in the foreground until SIGTERM/SIGINT; SIGHUP reloads."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.commands.common import EXIT_OK, EXIT_USAGE, load_or_report
from monitor.commands.serving import serve_until_signalled
from monitor.core.i18n import text
from monitor.core.logs import configure_logging
from monitor.eventloop import run_on
from monitor.service import Service


def run(args: argparse.Namespace) -> int:
    path = Path(args.config)
    config = load_or_report(path)
    if config is None:
        return EXIT_USAGE
    configure_logging(config.service.log_level, config.service.log_format)
    run_on(config.service.event_loop, _serve(path, Service(config)))
    print(text(config.service.language, "run.stopped"))
    return EXIT_OK


async def _serve(path: Path, service: Service) -> None:
    await service.start()
    lang = service.config.service.language
    checks = len(list(service.scheduler.checks()))
    await serve_until_signalled(service, path, on_ready=lambda: print(
        text(lang, "run.started", checks=checks, url=service.config.service.public_url),
        flush=True))
