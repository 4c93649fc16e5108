"""The command line's words (monitor/core/catalog/cli.py) and the language they are in.

Help and argument errors come before any config is read, so their language is the
environment's MONITOR_LANG: "en" (en-US, en_GB.UTF-8 ... alike) for English, anything else
zh-CN, the default. No other variable names the language: LANG/LC_* describe the machine's
locale (often C.UTF-8 on servers), not what the operator reads. Once a command has loaded its
config, it speaks the config's service.language.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Final

from monitor.core.catalog import AREAS, EN, ZH, pick
from monitor.core.configtext import text_of
from monitor.core.fields import parse_duration
from monitor.governance.evaluate.ports import parse_ports

LANG_ENV: Final = "MONITOR_LANG"

WORDS = AREAS["cli"]


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of help and of messages printed before a config is loaded."""
    value = (os.environ if environ is None else environ).get(LANG_ENV, "")
    return EN if value.strip().lower().startswith("en") else ZH


def say(lang: str, key: str, **values: object) -> str:
    """A word of the command line in `lang`."""
    return pick(WORDS, lang, key, **values)


def problem_text(exc: BaseException, lang: str) -> str:
    """An error's message in `lang`: its catalog text if it carries one (a value the operator
    wrote), else its own words."""
    return text_of(exc).render(lang)


class ArgumentKinds:
    """Argument types whose refusals argparse prints, in the help's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def duration(self, text: str) -> float:
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(problem_text(exc, self.lang)) from None

    def ports(self, text: str) -> tuple[int, ...]:
        try:
            return parse_ports(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(problem_text(exc, self.lang)) from None

    def port(self, text: str) -> int:
        ports = self.ports(text)
        if len(ports) != 1:
            raise argparse.ArgumentTypeError(say(self.lang, "arg.one_port", value=text))
        return ports[0]

    def positive(self, text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(say(self.lang, "arg.positive", value=text))
        return int(text)
