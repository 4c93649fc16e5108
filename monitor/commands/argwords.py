"""argparse in the catalog's language: its own words ("usage:", "options:", "show this help
message and exit", "the following arguments are required: ...", "invalid choice: ...") come
from the `argparse.*` entries of monitor/core/catalog/cli.py.

How: argparse reads every word it prints through two names it imports from gettext
(`from gettext import gettext as _, ngettext`), the translation hook its documentation points
to. While a parser is built and parses, `argparse_in` points those two names at the catalog,
and puts gettext's back afterwards. Why not the alternatives:
- gettext proper needs compiled .mo files found through the process-wide locale (LANGUAGE,
  LANG) and text domain: words outside the one catalog (DESIGN.md rule 13), in a language
  chosen by the machine's locale rather than MONITOR_LANG.
- an ArgumentParser/HelpFormatter subclass reaches only some words (the usage prefix, group
  titles); the error texts are built inside parse_args, so translating them there would mean
  copying argparse's internals or matching its English after the fact.
A word argparse has that the catalog lacks (a programming error such as a conflicting option)
stays in argparse's English.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any, Final

from monitor.commands.words import WORDS, say
from monitor.core.catalog import EN

# argparse's English (its gettext message id) -> the catalog key that translates it.
_KEYS: Final = {entry[EN]: key for key, entry in WORDS.items() if key.startswith("argparse.")}
# The module's globals, where its `_` and `ngettext` are looked up at each call.
_ARGPARSE: Final[dict[str, Any]] = vars(argparse)


@contextlib.contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse speaks `lang` inside the block (build the parser and parse in it: some words
    are fixed when a parser is made, others when help or an error is printed)."""

    def gettext(message: Any) -> Any:
        key = _KEYS.get(message) if isinstance(message, str) else None
        return message if key is None else say(lang, key)

    def ngettext(singular: str, plural: str, n: int) -> str:
        key = _KEYS.get(singular)
        if key is None or lang == EN:  # English has the plural form; Chinese needs none
            return singular if n == 1 else plural
        return say(lang, key)

    saved = _ARGPARSE["_"], _ARGPARSE["ngettext"]
    _ARGPARSE["_"], _ARGPARSE["ngettext"] = gettext, ngettext
    try:
        yield
    finally:
        _ARGPARSE["_"], _ARGPARSE["ngettext"] = saved
