"""The problems of a config, as `validate` and every loading command print them.

A message never shows a value that came from `${ENV}`: the loader records each substitution
(`Issues.substituted`), and an issue renders such a value as the `${NAME}` that was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from monitor.core.catalog import EN
from monitor.core.configtext import ConfigText
from monitor.core.secrets import MIN_SECRET_CHARS


@dataclass(frozen=True)
class Substitution:
    """`${name}` in a scalar whose text became `text` once `value` was put in."""

    name: str
    value: str
    text: str


@dataclass(frozen=True)
class ConfigIssue:
    """One problem, rendered as `FILE:LINE: key.path: message` (line 0 = the whole file).
    `text` is the message in any language (a catalog code); `str()` and `message` are English.
    `hidden` maps values that must not be shown (from `${ENV}`) to what is shown instead."""

    file: str
    line: int
    key_path: str
    text: ConfigText
    hidden: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def message(self) -> str:
        return self._hide(str(self.text))

    def render(self, lang: str) -> str:
        """The issue's line with the message in `lang`; file, line and key path as they are."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self._hide(self.text.render(lang))
        if not self.key_path:
            return f"{where}: {message}"
        return f"{where}: {self.key_path}: {message}"

    def _hide(self, message: str) -> str:
        for value, shown in self.hidden:
            message = message.replace(value, shown)
        return message

    def __str__(self) -> str:
        return self.render(EN)


class ConfigError(Exception):
    """The config is invalid; `issues` lists every problem found, in file and line order.
    `language` is the one the config would run in (service.language, or its default), read
    from the file when it can tell (None otherwise): its author reads the problems in it.
    `str()` is English, for logs."""

    def __init__(self, issues: Sequence[ConfigIssue], language: str | None = None) -> None:
        self.issues = list(issues)
        self.language = language
        super().__init__("\n".join(str(issue) for issue in self.issues))


class Issues:
    """Collects problems while loading goes on, so the operator sees all of them at once."""

    def __init__(self, primary: str = "") -> None:
        self.primary = primary  # the config file: its issues come first
        self._items: list[ConfigIssue] = []
        self.substituted: list[Substitution] = []  # every ${ENV} put into the config

    def add(self, file: str, line: int, key_path: str, text: ConfigText) -> None:
        self._items.append(ConfigIssue(file, line, key_path, text))

    def at(self, node: _Located, key_path: str, text: ConfigText) -> None:
        self.add(node.file, node.line, key_path, text)

    def extend(self, issues: Iterable[ConfigIssue]) -> None:
        self._items.extend(issues)

    def __iter__(self) -> Iterator[ConfigIssue]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def ordered(self) -> list[ConfigIssue]:
        """Without repeats; the primary file first, then the others in the order first met,
        lines ascending within a file."""
        unique = list(dict.fromkeys(self._items))
        files = list(dict.fromkeys([self.primary, *(issue.file for issue in unique)]))
        ordered = sorted(unique, key=lambda issue: (files.index(issue.file), issue.line))
        hidden = self.hidden()
        return [replace(issue, hidden=hidden) for issue in ordered] if hidden else ordered

    def hidden(self) -> tuple[tuple[str, str], ...]:
        """(value, `${NAME}`) of every substitution long enough to be a secret (shorter ones,
        a port or a flag, would mangle ordinary words), longest first."""
        shown = {sub.value: f"${{{sub.name}}}" for sub in self.substituted
                 if len(sub.value) >= MIN_SECRET_CHARS}
        return tuple(sorted(shown.items(), key=lambda item: (-len(item[0]), item[0])))

    def raise_if_any(self, language: str | None = None) -> None:
        if self._items:
            raise ConfigError(self.ordered(), language)


class _Located(Protocol):
    """Anything with a file and line (the nodes of yamlnodes)."""

    @property
    def file(self) -> str: ...

    @property
    def line(self) -> int: ...
