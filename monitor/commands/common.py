"""Helpers shared by the CLI commands: loading the config with the contract's error output."""

from __future__ import annotations

import sys
from pathlib import Path

from monitor.config import ConfigError, load_config
from monitor.core.config.model import Config
from monitor.core.i18n import text
from monitor.reports.files import write_atomic

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


def write_output(out: str | None, data: bytes) -> OSError | None:
    """`data` to stdout (`out` None or "-"; bytes, so a PDF or an xlsx reaches a pipe
    unchanged) or to the file `out`, atomically (a reader never sees half of it; parents are
    made). Returns the error instead of raising: each command words it its own way."""
    if not out or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return None
    try:
        write_atomic(Path(out), data)
    except OSError as exc:
        return exc
    return None
