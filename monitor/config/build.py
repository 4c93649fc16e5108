"""The generic builder: a frozen dataclass + its type hints + a node tree -> an instance.

Spec classes only declare fields (see fields.py); this module maps each type hint to the way it
is read (single values by scalars.py). Errors are collected, never raised, so one run reports all
of them; a value that failed is returned as `FAILED` and its parents give up quietly.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin, get_type_hints

from monitor.config.scalars import (
    SCALAR_READERS,
    Reader,
    ScalarError,
    check_bounds,
    marked_reader,
    read_choice,
    read_regex,
)
from monitor.config.yamlnodes import Issues, Map, Node, Scalar, Seq, describe, join
from monitor.core.configtext import ConfigText, text_of


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


def unknown_key_message(key: str, known: Iterable[str], what: str = "what.key") -> ConfigText:
    """'unknown key ...' with the closest known one, else all of them; `what` names the kind
    of name (a `what.*` word of the catalog: key, column, notifier)."""
    choices = sorted(set(known))
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    if close:
        return ConfigText("unknown.close", what=ConfigText(what), field=key, close=close[0])
    return ConfigText("unknown.choices", what=ConfigText(what), field=key,
                      choices=", ".join(choices))


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
            return self.fail(node, path, ConfigText("expected.mapping", got=describe(node)))
        infos = [info for info in config_fields(cls) if info.name not in supplied]
        if check_unknown:
            self.unknown_keys(node, path, [info.key for info in infos] + list(also_known))
        kwargs = dict(supplied)
        ok = True
        for info in infos:
            entry = node.entries.get(info.key)
            if entry is None:
                if info.required:
                    missing = ConfigText("key.missing", field=info.key)
                    self.issues.at(node, join(path, info.key), missing)
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
            return self.fail(node, path, text_of(exc))

    def unknown_keys(self, node: Map, path: str, known: Iterable[str]) -> None:
        known = list(known)
        for key, entry in node.entries.items():
            if key not in known:
                self.issues.add(
                    node.file, entry.key_line, join(path, key), unknown_key_message(key, known)
                )

    def fail(self, node: Node, path: str, message: ConfigText) -> Any:
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
            choices = get_args(hint)
            return self._read(lambda item: read_choice(choices, item), node, path)
        if origin is tuple:
            return self._tuple(get_args(hint), node, path)
        if origin is Mapping:
            return self._mapping(get_args(hint)[1], node, path)
        if origin is re.Pattern:
            return self._read(read_regex, node, path)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.dataclass(hint, node, path)
        reader = SCALAR_READERS.get(hint)
        if reader is None:
            raise TypeError(f"no config reader for type {hint!r} at {path}")  # a spec bug
        return self._read(reader, node, path, info)

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
            return self.fail(node, path, ConfigText("expected.list", got=describe(node)))
        items = [self.value(args[0], item, f"{path}[{i}]") for i, item in enumerate(node.items)]
        return FAILED if failed(*items) else tuple(items)

    def _mapping(self, value_type: Any, node: Node, path: str) -> Any:
        if not isinstance(node, Map):
            return self.fail(node, path, ConfigText("expected.mapping", got=describe(node)))
        items = {
            key: self.value(value_type, entry.value, join(path, key))
            for key, entry in node.entries.items()
        }
        return FAILED if failed(*items.values()) else types.MappingProxyType(items)

    # -- single values -----------------------------------------------------------------------

    def _marked(self, hint: Any, node: Node, path: str, info: FieldInfo | None) -> Any:
        base, *markers = get_args(hint)
        reader = marked_reader(markers)
        if reader is None:
            return self.value(base, node, path, info)
        return self._read(reader, node, path, info)

    def _read(self, reader: Reader, node: Node, path: str, info: FieldInfo | None = None) -> Any:
        """`reader`'s value of `node`, within the field's bounds; a problem is reported."""
        try:
            value = reader(node)
            if info is not None:
                value = check_bounds(value, info.minimum, info.maximum)
        except ScalarError as exc:
            return self.fail(node, path, exc.text)
        return value
