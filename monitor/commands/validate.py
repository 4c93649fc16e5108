"""`validate --config FILE`: every problem on stderr as FILE:LINE: key.path: message."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.commands.common import EXIT_OK, EXIT_USAGE, load_or_report
from monitor.core.i18n import text


def run(args: argparse.Namespace) -> int:
    config = load_or_report(Path(args.config))
    if config is None:
        return EXIT_USAGE
    checks = sum(len(app.checks) for app in config.apps)
    print(text(config.service.language, "config.valid", apps=len(config.apps), checks=checks,
               notifiers=len(config.notifiers)))
    return EXIT_OK
