"""Helpers shared by the CLI commands: loading the config with the contract's error output."""

from __future__ import annotations

import sys
from pathlib import Path

from monitor.config import ConfigError, load_config
from monitor.config.model import Config
from monitor.i18n import text

EXIT_OK = 0
EXIT_DOWN = 1
EXIT_USAGE = 2


def load_or_report(path: Path, lang: str = "zh-CN") -> Config | None:
    """The config, or None after printing every problem as FILE:LINE: key.path: message."""
    try:
        return load_config(path)
    except ConfigError as exc:
        for issue in exc.issues:
            print(str(issue), file=sys.stderr)
        print(text(lang, "config.invalid", count=len(exc.issues)), file=sys.stderr)
        return None
