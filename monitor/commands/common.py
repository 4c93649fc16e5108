"""Helpers shared by the CLI commands: loading the config with the contract's error output.

Config problems are printed in the language the config would run in (its service.language,
zh-CN when it leaves it out; read even from an invalid file), or, when the file cannot tell
(missing, not YAML, a language we do not speak), in the command line's (MONITOR_LANG, zh-CN by
default). The file, line and key path of each stay as they are; only the message is translated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from monitor.commands.words import cli_language
from monitor.config import ConfigError, load_config
from monitor.core.config.model import Config
from monitor.core.i18n import text
from monitor.reports.files import write_atomic

EXIT_OK = 0
EXIT_DOWN = 1
EXIT_USAGE = 2


def load_or_report(path: Path, fallback: str | None = None) -> Config | None:
    """The config, or None after printing every problem as FILE:LINE: key.path: message, in
    the config's language, else in `fallback` (default: MONITOR_LANG)."""
    try:
        return load_config(path)
    except ConfigError as exc:
        report_config_error(exc, fallback)
        return None


def report_config_error(exc: ConfigError, fallback: str | None = None) -> None:
    """Every problem on stderr, one a line, then how many there were."""
    lang = exc.language or fallback or cli_language()
    for issue in exc.issues:
        print(issue.render(lang), file=sys.stderr)
    print(text(lang, "config.invalid", count=len(exc.issues)), file=sys.stderr)


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
