"""The generic builder: a frozen dataclass + its type hints + a node tree -> an instance.

Spec classes only declare fields (see fields.py); this module is the one place that knows how
each type is read from the config. Errors are collected, never raised, so one run reports all
of them; a value that failed is returned as `FAILED` and its parents give up quietly.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from monitor.config.fields import (
    BYTE_SIZE,
    DURATION,
    HTTP_URL,
    TEMPLATE_URL,
    Secret,
    SecretUrl,
    mask_url,
    parse_byte_size,
    parse_duration,
)
from monitor.config.yamlnodes import Issues, Map, Node, Scalar, Seq, describe, join


class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = _Failed()
"""Returned for a value that could not be built; the problem is already in `Issues`."""


def failed(*values: Any) -> bool:
    """Whether any of `values` is FAILED (by identity: `in` would call their __eq__)."""
    return any(value is FAILED for value in values)


@dataclass(frozen=True)
class FieldInfo:
    """One dataclass field as the config sees it."""

    name: str  # attribute
    key: str  # config key
    hint: Any  # resolved type hint, Annotated kept
    required: bool
    default: Any  # dataclasses.MISSING when required
    doc: str
    minimum: float | None
    maximum: float | None


_FIELDS_CACHE: dict[type[Any], tuple[FieldInfo, ...]] = {}


def config_fields(cls: type[Any]) -> tuple[FieldInfo, ...]:
    """The config view of a dataclass's fields (cached: hints are evaluated once per class)."""
    cached = _FIELDS_CACHE.get(cls)
    if cached is None:
        cached = _FIELDS_CACHE[cls] = _read_fields(cls)
    return cached


def _read_fields(cls: type[Any]) -> tuple[FieldInfo, ...]:
    hints = get_type_hints(cls, include_extras=True)
    infos = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        meta = field.metadata
        default: Any = field.default
        if field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        infos.append(
            FieldInfo(
                name=field.name,
                key=meta.get("key") or field.name,
                hint=hints[field.name],
                required=default is dataclasses.MISSING,
                default=default,
                doc=meta.get("doc", ""),
                minimum=meta.get("minimum"),
                maximum=meta.get("maximum"),
            )
        )
    return tuple(infos)


def config_keys(cls: type[Any]) -> list[str]:
    return [info.key for info in config_fields(cls)]


def unknown_key_message(key: str, known: Iterable[str], what: str = "key") -> str:
    choices = sorted(set(known))
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} {key!r}; did you mean {close[0]!r}?"
    return f"unknown {what} {key!r}; expected one of: {', '.join(choices)}"


def url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL, or None when it is."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (property access validates the port)
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host"
    if any(ch.isspace() for ch in url):
        return "contains white space"
    return None


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


class Builder:
    """Reads typed values from nodes, reporting every problem into `issues`."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues

    def dataclass(
        self,
        cls: type[Any],
        node: Node,
        path: str,
        *,
        supplied: Mapping[str, Any] | None = None,
        also_known: Iterable[str] = (),
        check_unknown: bool = True,
    ) -> Any:
        """An instance of `cls` from a mapping. `supplied` fields are given by the caller and not
        read; `also_known` keys belong to someone else (e.g. a check's common keys)."""
        supplied = supplied or {}
        if not isinstance(node, Map):
            return self.fail(node, path, f"expected a mapping, got {describe(node)}")
        infos = [info for info in config_fields(cls) if info.name not in supplied]
        if check_unknown:
            self.unknown_keys(node, path, [info.key for info in infos] + list(also_known))
        kwargs = dict(supplied)
        ok = True
        for info in infos:
            entry = node.entries.get(info.key)
            if entry is None:
                if info.required:
                    self.issues.at(node, join(path, info.key), f"missing required key {info.key!r}")
                    ok = False
                continue
            value = self.value(info.hint, entry.value, join(path, info.key), info)
            ok = ok and value is not FAILED
            kwargs[info.name] = value
        if not ok:
            return FAILED
        try:
            return cls(**kwargs)
        except (ValueError, TypeError) as exc:  # a spec's own __post_init__ rule
            return self.fail(node, path, str(exc))

    def unknown_keys(self, node: Map, path: str, known: Iterable[str]) -> None:
        known = list(known)
        for key, entry in node.entries.items():
            if key not in known:
                self.issues.add(
                    node.file, entry.key_line, join(path, key), unknown_key_message(key, known)
                )

    def fail(self, node: Node, path: str, message: str) -> Any:
        self.issues.at(node, path, message)
        return FAILED

    def value(self, hint: Any, node: Node, path: str, info: FieldInfo | None = None) -> Any:
        """`node` read as type `hint`; `info` carries the field's bounds."""
        if isinstance(node, Scalar) and node.unresolved:
            return FAILED  # the unset ${ENV} is reported; a second message would only confuse
        origin = get_origin(hint)
        if origin is Annotated:
            return self._marked(hint, node, path, info)
        if _is_union(origin):
            return self._optional(hint, node, path, info)
        if origin is Literal:
            return self._choice(get_args(hint), node, path)
        if origin is tuple:
            return self._tuple(get_args(hint), node, path)
        if origin is Mapping:
            return self._mapping(get_args(hint)[1], node, path)
        if origin is re.Pattern:
            return self._regex(node, path)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.dataclass(hint, node, path)
        reader = _SCALAR_READERS.get(hint)
        if reader is None:
            raise TypeError(f"no config reader for type {hint!r} at {path}")  # a spec bug
        return self._bounded(reader(self, node, path), node, path, info)

    # -- composite types ---------------------------------------------------------------------

    def _optional(self, hint: Any, node: Node, path: str, info: FieldInfo | None) -> Any:
        inner = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"only `X | None` unions are supported, not {hint!r}")
        if isinstance(node, Scalar) and node.is_null:
            return None
        return self.value(inner[0], node, path, info)

    def _tuple(self, args: tuple[Any, ...], node: Node, path: str) -> Any:
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is supported, not tuple{list(args)}")
        if not isinstance(node, Seq):
            return self.fail(node, path, f"expected a list, got {describe(node)}")
        items = [self.value(args[0], item, f"{path}[{i}]") for i, item in enumerate(node.items)]
        return FAILED if failed(*items) else tuple(items)

    def _mapping(self, value_type: Any, node: Node, path: str) -> Any:
        if not isinstance(node, Map):
            return self.fail(node, path, f"expected a mapping, got {describe(node)}")
        items = {
            key: self.value(value_type, entry.value, join(path, key))
            for key, entry in node.entries.items()
        }
        return FAILED if failed(*items.values()) else types.MappingProxyType(items)

    def _choice(self, choices: tuple[Any, ...], node: Node, path: str) -> Any:
        if isinstance(node, Scalar):
            for choice in choices:
                if choice == node.text or (not isinstance(choice, str) and choice == node.value):
                    return choice
        names = ", ".join(repr(choice) for choice in choices)
        return self.fail(node, path, f"expected one of {names}, got {describe(node)}")

    def _regex(self, node: Node, path: str) -> Any:
        text = self.text(node, path, "a regular expression")
        if text is FAILED:
            return FAILED
        try:
            return re.compile(text)
        except re.error as exc:
            return self.fail(node, path, f"bad regular expression {text!r}: {exc}")

    # -- markers and scalars -----------------------------------------------------------------

    def _marked(self, hint: Any, node: Node, path: str, info: FieldInfo | None) -> Any:
        base, *markers = get_args(hint)
        if DURATION in markers:
            value = self._parsed(parse_duration, node, path, "a duration")
        elif BYTE_SIZE in markers:
            if isinstance(node, Scalar) and type(node.value) is int and node.value >= 0:
                value = node.value
            else:
                value = self._parsed(parse_byte_size, node, path, "a size")
        elif HTTP_URL in markers or TEMPLATE_URL in markers:
            value = self.url(node, path, template=TEMPLATE_URL in markers)
        else:
            return self.value(base, node, path, info)
        return self._bounded(value, node, path, info)

    def _parsed(self, parse: Callable[[str], Any], node: Node, path: str, what: str) -> Any:
        text = self.text(node, path, what)
        if text is FAILED:
            return FAILED
        try:
            return parse(text)
        except ValueError as exc:
            return self.fail(node, path, str(exc))

    def url(self, node: Node, path: str, *, template: bool, secret: bool = False) -> Any:
        """The URL text; a bad secret URL is shown masked."""
        text = self.text(node, path, "a URL")
        if text is FAILED:
            return FAILED
        # A {{ variable }} stands for a value known only at run time: check the rest.
        checked = re.sub(r"\{\{.*?\}\}", "x", text) if template else text
        problem = url_problem(checked)
        if problem is None:
            return text
        shown = mask_url(text) if secret else text
        return self.fail(node, path, f"bad URL {shown!r}: {problem}")

    def text(self, node: Node, path: str, what: str) -> Any:
        """The text of a non-null scalar (numbers and booleans as written). The failure message
        names only the node's shape, so it is safe for secrets too."""
        if isinstance(node, Scalar) and not node.is_null:
            return node.text
        return self.fail(node, path, f"expected {what}, got {describe(node)}")

    def _bounded(self, value: Any, node: Node, path: str, info: FieldInfo | None) -> Any:
        if value is FAILED or info is None or isinstance(value, bool):
            return value
        low, high = info.minimum, info.maximum
        too_low = low is not None and value < low
        too_high = high is not None and value > high
        if not (too_low or too_high):
            return value
        if low is not None and high is not None:
            rule = f"must be between {low:g} and {high:g}"
        else:
            rule = f"must be at least {low:g}" if too_low else f"must be at most {high:g}"
        return self.fail(node, path, f"{rule}, got {value:g}")


def _read_str(builder: Builder, node: Node, path: str) -> Any:
    return builder.text(node, path, "a string")


def _read_int(builder: Builder, node: Node, path: str) -> Any:
    if isinstance(node, Scalar) and type(node.value) is int:
        return node.value
    return builder.fail(node, path, f"expected an integer, got {describe(node)}")


def _read_float(builder: Builder, node: Node, path: str) -> Any:
    if isinstance(node, Scalar) and type(node.value) in (int, float):
        return float(node.value)  # type: ignore[arg-type]  # checked on the line above
    return builder.fail(node, path, f"expected a number, got {describe(node)}")


def _read_bool(builder: Builder, node: Node, path: str) -> Any:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        return node.value
    return builder.fail(node, path, f"expected true or false, got {describe(node)}")


def _read_any(builder: Builder, node: Node, path: str) -> Any:
    if isinstance(node, Scalar):
        return node.value
    message = f"expected a single value (string, number, true/false or null), got {describe(node)}"
    return builder.fail(node, path, message)


def _read_secret(builder: Builder, node: Node, path: str) -> Any:
    text = builder.text(node, path, "a string")
    return FAILED if text is FAILED else Secret(text)


def _read_secret_url(builder: Builder, node: Node, path: str) -> Any:
    text = builder.url(node, path, template=False, secret=True)
    return FAILED if text is FAILED else SecretUrl(text)


_SCALAR_READERS: Final[dict[Any, Callable[[Builder, Node, str], Any]]] = {
    str: _read_str,
    int: _read_int,
    float: _read_float,
    bool: _read_bool,
    Any: _read_any,
    Secret: _read_secret,
    SecretUrl: _read_secret_url,
}
