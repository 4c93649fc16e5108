"""YAML -> a small tree of nodes that remember their file and line (the issue types are in
issues.py and also importable from here).

`yaml.safe_load` forgets where values came from, so every later error could only name a key.
We compose instead, keep the line of each node, substitute `${ENV}` in string scalars and
reject duplicate keys (PyYAML silently keeps the last one). The same nodes are also built
from spreadsheet rows (see appsfile), so the builder needs to know only this one tree.

Bounded: nesting past CONFIG_MAX_DEPTH and aliases that would add more nodes than the budget
of yamlsafe.compose (an alias bomb) are config errors, found before anything big is built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from monitor.config.issues import ConfigError, ConfigIssue, Issues, Substitution
from monitor.config.yamlsafe import TooDeepError, compose
from monitor.core.configtext import ConfigText
from monitor.core.constants import CONFIG_MAX_DEPTH

__all__ = [  # the issue types live in issues.py; callers may import them from here too
    "ConfigError", "ConfigIssue", "Entry", "Issues", "Map", "Node", "Scalar", "Seq",
    "describe", "join", "parse_yaml", "scalar_from_text",
]


@dataclass(frozen=True)
class Scalar:
    file: str
    line: int
    value: object  # str, int, float, bool or None, as YAML resolves the (substituted) text
    text: str  # as written, after ${ENV} substitution
    unresolved: bool = False  # held an unset ${ENV}: already reported, nothing else to say
    written: str | None = None  # as written, when it held a ${ENV} (never shown substituted)

    @property
    def is_null(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        """The text a message may quote: as written when a ${ENV} went into it."""
        return self.text if self.written is None else self.written


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
    return ConfigText("shape.null") if node.is_null else ConfigText("shape.value", value=node.shown)


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
    """The document's node tree, or None when it is empty or not valid YAML (reported), or
    when it is deeper or its aliases bigger than a config may be (reported)."""
    too_deep = ConfigText("yaml.too_deep", limit=CONFIG_MAX_DEPTH)
    try:
        root, budget = compose(text)
    except TooDeepError as exc:
        issues.add(file, exc.line, "", too_deep)
        return None
    except RecursionError:  # the composer stops well before; no YAML may end in a traceback
        issues.add(file, 0, "", too_deep)
        return None
    except yaml.MarkedYAMLError as exc:
        issues.add(file, *_syntax_error(exc))
        return None
    except yaml.YAMLError as exc:
        issues.add(file, 0, "", ConfigText("yaml.invalid", detail=str(exc)))
        return None
    if root is None:
        return None
    try:
        return _Composer(file, env, issues, budget).node(root, "", 1)
    except _RefusedError:
        return None


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


class _RefusedError(Exception):
    """The tree is not built: too deep, or its aliases too big (reported)."""


class _Composer:
    def __init__(self, file: str, env: Mapping[str, str], issues: Issues, budget: int) -> None:
        self.file = file
        self.env = env
        self.issues = issues
        self.open: set[int] = set()  # collections being converted, to stop recursive aliases
        self.seen: set[int] = set()  # nodes converted once: meeting one again is an alias
        self.scalars: dict[int, Scalar] = {}
        self.limit = budget  # nodes that aliases and merges may add
        self.budget = budget  # of which are left

    def refuse(self, line: int, path: str, message: ConfigText) -> _RefusedError:
        self.issues.add(self.file, line, path, message)
        return _RefusedError()

    def charge(self, nodes: int, line: int, path: str) -> None:
        """Aliases repeat `nodes` more nodes; past the budget, the walk stops."""
        self.budget -= nodes
        if self.budget < 0:
            raise self.refuse(line, path, ConfigText("yaml.aliases", limit=self.limit))

    def node(self, yn: yaml.Node, path: str, depth: int, used_at: int = 0) -> Node:
        """`used_at`: the line where the text refers to `yn` (an alias), for messages."""
        line = yn.start_mark.line + 1
        if id(yn) in self.seen:  # an alias, or inside one: blame the line that used it
            line = used_at or line
            self.charge(1, line, path)
        self.seen.add(id(yn))
        if depth > CONFIG_MAX_DEPTH:  # aliases inside aliases nest deeper than the text
            raise self.refuse(line, path, ConfigText("yaml.too_deep", limit=CONFIG_MAX_DEPTH))
        if isinstance(yn, yaml.ScalarNode):  # one Scalar however often aliases repeat it
            known = self.scalars.get(id(yn))
            if known is None:
                known = self.scalars[id(yn)] = self.scalar(yn, path)
            return known
        if id(yn) in self.open:
            self.issues.add(self.file, line, path, ConfigText("yaml.recursive_alias"))
            return Scalar(self.file, line, None, "", unresolved=True)
        self.open.add(id(yn))
        try:
            if isinstance(yn, yaml.SequenceNode):
                items = (self.node(item, f"{path}[{i}]", depth + 1, line)
                         for i, item in enumerate(yn.value))
                return Seq(self.file, yn.start_mark.line + 1, tuple(items))
            return self.mapping(yn, path, depth, line)
        finally:
            self.open.discard(id(yn))

    def mapping(self, yn: yaml.Node, path: str, depth: int, used_at: int) -> Map:
        entries: dict[str, Entry] = {}
        repeat = used_at != yn.start_mark.line + 1
        for key_node, value_node in self.pairs(yn, path, depth, used_at):
            key_line = key_node.start_mark.line + 1
            used = used_at if repeat else key_line
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.add(self.file, key_line, path, ConfigText("yaml.key_not_string"))
                continue
            key = str(key_node.value)
            if key in entries:
                first = entries[key].key_line
                message = ConfigText("yaml.duplicate_key", first=first)
                self.issues.add(self.file, key_line, join(path, key), message)
                continue
            value = self.node(value_node, join(path, key), depth + 1, used)
            entries[key] = Entry(key, key_line, value)
        return Map(self.file, yn.start_mark.line + 1, entries)

    def pairs(self, yn: yaml.Node, path: str, depth: int,
              used_at: int) -> list[tuple[yaml.Node, yaml.Node]]:
        """Key/value pairs with YAML merge keys (`<<: *base`) flattened; explicit keys win.
        A merged mapping's pairs count against the alias budget; merges of merges, against
        the depth."""
        explicit: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        repeat = used_at != yn.start_mark.line + 1
        for key_node, value_node in yn.value:
            if key_node.tag != _MERGE_TAG:
                explicit.append((key_node, value_node))
                continue
            many = isinstance(value_node, yaml.SequenceNode)
            at = used_at if repeat else key_node.start_mark.line + 1  # where `<<` is used
            for source in value_node.value if many else [value_node]:
                line = source.start_mark.line + 1
                if not isinstance(source, yaml.MappingNode):
                    self.issues.add(self.file, line, "", ConfigText("yaml.merge_not_mapping"))
                elif id(source) in self.open:
                    self.issues.add(self.file, at, path, ConfigText("yaml.recursive_alias"))
                elif depth >= CONFIG_MAX_DEPTH:
                    too_deep = ConfigText("yaml.too_deep", limit=CONFIG_MAX_DEPTH)
                    raise self.refuse(at, path, too_deep)
                else:
                    self.charge(len(source.value), at, path)
                    self.open.add(id(source))
                    try:
                        merged.extend(self.pairs(source, path, depth + 1, used_at))
                    finally:
                        self.open.discard(id(source))
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
        put: list[tuple[str, str]] = []  # (name, value) of each ${ENV} put in

        def substitute(match: re.Match[str]) -> str:
            if match.group(1):  # "$${NAME}" is the escape for a literal "${NAME}"
                return match.group(0)[1:]
            name = match.group(2)
            if name in self.env:
                put.append((name, self.env[name]))
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
        written = raw if put else None
        self.issues.substituted.extend(Substitution(name, value, text) for name, value in put)
        if missing:
            return Scalar(self.file, line, text, text, unresolved=True, written=written)
        return Scalar(self.file, line, _typed(tag, text), text, written=written)
