"""YAML -> a small tree of nodes that remember their file and line, plus the issue types.

`yaml.safe_load` forgets where values came from, so every later error could only name a key.
We compose instead, keep the line of each node, substitute `${ENV}` in string scalars and
reject duplicate keys (PyYAML silently keeps the last one). The same nodes are also built
from spreadsheet rows (see appsfile), so the builder needs to know only this one tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from monitor.core.catalog import EN
from monitor.core.configtext import ConfigText


@dataclass(frozen=True)
class ConfigIssue:
    """One problem, rendered as `FILE:LINE: key.path: message` (line 0 = the whole file).
    `text` is the message in any language (a catalog code); `str()` and `message` are English."""

    file: str
    line: int
    key_path: str
    text: ConfigText

    @property
    def message(self) -> str:
        return str(self.text)

    def render(self, lang: str) -> str:
        """The issue's line with the message in `lang`; file, line and key path as they are."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self.text.render(lang)
        if not self.key_path:
            return f"{where}: {message}"
        return f"{where}: {self.key_path}: {message}"

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

    def add(self, file: str, line: int, key_path: str, text: ConfigText) -> None:
        self._items.append(ConfigIssue(file, line, key_path, text))

    def at(self, node: Node, key_path: str, text: ConfigText) -> None:
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
        return sorted(unique, key=lambda issue: (files.index(issue.file), issue.line))

    def raise_if_any(self, language: str | None = None) -> None:
        if self._items:
            raise ConfigError(self.ordered(), language)


@dataclass(frozen=True)
class Scalar:
    file: str
    line: int
    value: object  # str, int, float, bool or None, as YAML resolves the (substituted) text
    text: str  # as written, after ${ENV} substitution
    unresolved: bool = False  # held an unset ${ENV}: already reported, nothing else to say

    @property
    def is_null(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Seq:
    file: str
    line: int
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Entry:
    key: str
    key_line: int
    value: Node


@dataclass(frozen=True)
class Map:
    file: str
    line: int
    entries: Mapping[str, Entry]  # in file order

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry.value if entry else None


Node = Scalar | Seq | Map


def describe(node: Node) -> ConfigText:
    """How a value is named in 'expected X, got Y' messages."""
    if isinstance(node, Map):
        return ConfigText("shape.mapping")
    if isinstance(node, Seq):
        return ConfigText("shape.list")
    return ConfigText("shape.null") if node.is_null else ConfigText("shape.value", value=node.text)


def join(path: str, key: str) -> str:
    """`apps[0]` + `url` -> `apps[0].url`; keys that would read ambiguously are quoted."""
    if not re.fullmatch(r"[^.\[\]\s\"]+", key):
        return f"{path}[{key!r}]"
    return f"{path}.{key}" if path else key


_ENV_RE: Final = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_TYPED_TAGS: Final = {
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
}


def scalar_from_text(file: str, line: int, text: str) -> Scalar:
    """A scalar as if `text` had been written unquoted in YAML (spreadsheet cells)."""
    return Scalar(file, line, _typed(_plain_tag(text), text), text)


def _plain_tag(text: str) -> str:
    """The tag YAML gives `text` written unquoted: "587" -> int, "yes" -> bool, "~" -> null."""
    tag: str = Resolver().resolve(  # type: ignore[no-untyped-call]  # PyYAML is untyped here
        yaml.ScalarNode, text, (True, False)
    )
    return tag


def _typed(tag: str, text: str) -> object:
    if tag == "tag:yaml.org,2002:null":
        return None
    construct = _TYPED_TAGS.get(tag)
    if construct is None:
        return text  # strings, and dates or custom tags, which no config field wants typed
    return construct(SafeConstructor(), yaml.ScalarNode(tag, text))


def parse_yaml(text: str, file: str, env: Mapping[str, str], issues: Issues) -> Node | None:
    """The document's node tree, or None when it is empty or not valid YAML (reported)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        issues.add(file, *_syntax_error(exc))
        return None
    except yaml.YAMLError as exc:
        issues.add(file, 0, "", ConfigText("yaml.invalid", detail=str(exc)))
        return None
    return None if root is None else _Composer(file, env, issues).node(root, "")


def _syntax_error(exc: yaml.MarkedYAMLError) -> tuple[int, str, ConfigText]:
    """(line, key path, message): where the parser gave up, and what it was reading then
    (an unclosed quote is only noticed at the end of the file, far from where it starts).
    The parser's own words (English) are passed on as they are."""
    mark = exc.problem_mark or exc.context_mark
    detail = exc.problem or exc.context
    message = ConfigText("yaml.invalid", detail=detail) if detail else ConfigText("yaml.syntax")
    if exc.context and exc.problem and exc.context_mark:
        message = ConfigText("yaml.invalid_at", detail=detail, context=exc.context,
                             line=exc.context_mark.line + 1)
    return (mark.line + 1 if mark else 0), "", message


class _Composer:
    def __init__(self, file: str, env: Mapping[str, str], issues: Issues) -> None:
        self.file = file
        self.env = env
        self.issues = issues
        self.open: set[int] = set()  # collections being converted, to stop recursive aliases

    def node(self, yn: yaml.Node, path: str) -> Node:
        line = yn.start_mark.line + 1
        if isinstance(yn, yaml.ScalarNode):
            return self.scalar(yn, path)
        if id(yn) in self.open:
            self.issues.add(self.file, line, path, ConfigText("yaml.recursive_alias"))
            return Scalar(self.file, line, None, "", unresolved=True)
        self.open.add(id(yn))
        try:
            if isinstance(yn, yaml.SequenceNode):
                items = (self.node(item, f"{path}[{i}]") for i, item in enumerate(yn.value))
                return Seq(self.file, line, tuple(items))
            return self.mapping(yn, path)
        finally:
            self.open.discard(id(yn))

    def mapping(self, yn: yaml.Node, path: str) -> Map:
        entries: dict[str, Entry] = {}
        for key_node, value_node in self.pairs(yn):
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.add(self.file, key_line, path, ConfigText("yaml.key_not_string"))
                continue
            key = str(key_node.value)
            if key in entries:
                first = entries[key].key_line
                message = ConfigText("yaml.duplicate_key", first=first)
                self.issues.add(self.file, key_line, join(path, key), message)
                continue
            entries[key] = Entry(key, key_line, self.node(value_node, join(path, key)))
        return Map(self.file, yn.start_mark.line + 1, entries)

    def pairs(self, yn: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
        """Key/value pairs with YAML merge keys (`<<: *base`) flattened; explicit keys win."""
        explicit: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in yn.value:
            if key_node.tag != _MERGE_TAG:
                explicit.append((key_node, value_node))
                continue
            many = isinstance(value_node, yaml.SequenceNode)
            for source in value_node.value if many else [value_node]:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(self.pairs(source))
                else:
                    line = source.start_mark.line + 1
                    self.issues.add(self.file, line, "", ConfigText("yaml.merge_not_mapping"))
        taken = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
        kept: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in merged:  # the first merged source wins, as YAML says
            if key_node.value not in taken:
                taken.add(key_node.value)
                kept.append((key_node, value_node))
        return kept + explicit

    def scalar(self, yn: yaml.ScalarNode, path: str) -> Scalar:
        line = yn.start_mark.line + 1
        raw = str(yn.value)
        missing: list[str] = []

        def substitute(match: re.Match[str]) -> str:
            if match.group(1):  # "$${NAME}" is the escape for a literal "${NAME}"
                return match.group(0)[1:]
            name = match.group(2)
            if name in self.env:
                return self.env[name]
            # A block scalar (|) keeps its newlines, so the exact line is known.
            extra = raw.count("\n", 0, match.start()) + 1 if yn.style == "|" else 0
            message = ConfigText("env.unset", name=name)
            self.issues.add(self.file, line + extra, path, message)
            missing.append(name)
            return match.group(0)

        text = _ENV_RE.sub(substitute, raw)
        tag = yn.tag
        if text != raw and yn.style is None:  # plain `port: ${PORT}` types like a plain 587
            tag = _plain_tag(text)
        if missing:
            return Scalar(self.file, line, text, text, unresolved=True)
        return Scalar(self.file, line, _typed(tag, text), text)
