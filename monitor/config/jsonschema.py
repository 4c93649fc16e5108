"""The JSON Schema (draft 2020-12) of the config file, for editors: completion, hover docs and
early red marks. It is derived from the same dataclasses, markers and registries as the
loader, so it cannot drift; tests keep config/schema.json equal to `config_json_schema()`.
The loader stays the judge (cross references, duplicate ids, ${ENV}); the schema is a guide.

Regenerate: python -m monitor.config.jsonschema > config/schema.json
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import types
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.config.build import FieldInfo, config_fields
from monitor.config.loader import SECTIONS, TOP_LEVEL_KEYS
from monitor.core.config.model import (
    EMAIL_PATTERN,
    ID_PATTERN,
    MOBILE_PATTERN,
    AppConfig,
    CheckCommon,
    NotifierCommon,
    Owner,
)
from monitor.core.fields import (
    BYTE_SIZE,
    DURATION,
    HTTP_URL,
    PROXY_URL,
    TEMPLATE_URL,
    Secret,
    format_duration,
)
from probes.registry import PROBE_KINDS

DURATION_PATTERN: Final = r"^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$"
SIZE_PATTERN: Final = r"^\s*\d+\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*$"
# String fields whose format the loader enforces beyond their type.
_FIELD_PATTERNS: Final = {
    (AppConfig, "id"): ID_PATTERN,
    (CheckCommon, "id"): ID_PATTERN,
    (Owner, "mobile"): MOBILE_PATTERN,
    (Owner, "email"): EMAIL_PATTERN,
}
_SIMPLE: Final[dict[Any, dict[str, Any]]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    Any: {"type": ["string", "number", "boolean", "null"]},
}
_MARKED: Final[dict[Any, dict[str, Any]]] = {
    DURATION: {"type": "string", "pattern": DURATION_PATTERN, "examples": ["500ms", "15s", "10m"]},
    BYTE_SIZE: {
        "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": SIZE_PATTERN}]
    },
    HTTP_URL: {"type": "string", "pattern": "^https?://"},
    TEMPLATE_URL: {"type": "string", "pattern": "^https?://"},
    PROXY_URL: {"type": "string", "pattern": "^(http://|direct$)"},
}


def config_json_schema() -> dict[str, Any]:
    gen = _Generator()
    properties: dict[str, Any] = {
        section.key: {**gen.of(section.hint), "description": section.doc} for section in SECTIONS
    }
    checks = gen.kinded(
        "Check", CheckCommon, {k: (v.spec_type, v.doc) for k, v in PROBE_KINDS.items()}
    )
    gen.define(
        "App",
        gen.object(
            AppConfig, skip={"line"}, override={"checks": {"type": "array", "items": checks}}
        ),
    )
    properties["apps"] = {
        "type": "array",
        "items": {"$ref": "#/$defs/App"},
        "description": "the apps to watch",
    }
    properties["apps_file"] = {
        "type": "string",
        "description": "CSV or XLSX inventory, relative to this file; its rows are added to apps",
    }
    properties["apps_file_sheet"] = {
        "type": "string",
        "description": "XLSX sheet (default: the first)",
    }
    notifier_kinds = {k: (v.spec_type, v.doc) for k, v in NOTIFIER_KINDS.items()}
    properties["notifiers"] = {
        "type": "array",
        "items": gen.kinded("Notifier", NotifierCommon, notifier_kinds),
        "description": "notification channels",
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "appmon configuration",
        "type": "object",
        "additionalProperties": False,
        "properties": {key: properties[key] for key in TOP_LEVEL_KEYS},
        "$defs": dict(sorted(gen.defs.items())),
    }


class _Generator:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def define(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        self.defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    def of(self, hint: Any) -> dict[str, Any]:
        origin, args = get_origin(hint), get_args(hint)
        if origin is Annotated:
            marker = next((m for m in args[1:] if m in _MARKED), None)
            return dict(_MARKED[marker]) if marker is not None else self.of(args[0])
        if origin is Union or origin is types.UnionType:
            inner = [self.of(arg) for arg in args if arg is not type(None)]
            return {"anyOf": [*inner, {"type": "null"}]}
        if origin is Literal:
            return {"enum": list(args)}
        if origin is tuple:
            return {"type": "array", "items": self.of(args[0])}
        if origin is Mapping:
            return {"type": "object", "additionalProperties": self.of(args[1])}
        if origin is re.Pattern:
            return {"type": "string", "format": "regex"}
        if isinstance(hint, type) and issubclass(hint, Secret):
            return {
                "type": "string",
                "description": "secret: write ${ENV_VAR} rather than the value",
            }
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            name = hint.__name__
            if name not in self.defs:
                self.defs[name] = {}  # reserve first: a class may refer to itself
                self.defs[name] = self.object(hint)
            return {"$ref": f"#/$defs/{name}"}
        return dict(_SIMPLE[hint])

    def object(
        self,
        cls: type[Any],
        *,
        skip: set[str] | None = None,
        override: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        infos = [info for info in config_fields(cls) if info.name not in (skip or set())]
        schema: dict[str, Any] = {"type": "object"}
        doc = (cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{cls.__name__}("):  # not the dataclass-made signature
            schema["description"] = doc.splitlines()[0]
        schema["properties"] = {
            info.key: (override or {}).get(info.key) or self.field(cls, info) for info in infos
        }
        required = [info.key for info in infos if info.required]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def field(self, cls: type[Any], info: FieldInfo) -> dict[str, Any]:
        pattern = _FIELD_PATTERNS.get((cls, info.name))
        schema: dict[str, Any] = (
            {"type": "string", "pattern": pattern} if pattern else self.of(info.hint)
        )
        if info.doc:
            schema["description"] = info.doc
        if info.minimum is not None:
            schema["minimum"] = info.minimum
        if info.maximum is not None:
            schema["maximum"] = info.maximum
        default = _json_default(info)
        if default is not None:
            schema["default"] = default
        return schema

    def kinded(
        self, name: str, common: type[Any], kinds: Mapping[str, tuple[type[Any], str]]
    ) -> dict[str, Any]:
        """Common keys plus, per kind, an if/then adding that kind's keys; unevaluated keys are
        unknown keys (that is what `unevaluatedProperties` sees through allOf/then)."""
        schema = self.object(common)
        del schema["additionalProperties"]
        schema["description"] = f"the keys of every {name.lower()}, and those of its kind"
        schema["properties"]["kind"]["enum"] = sorted(kinds)
        schema["allOf"] = [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {**_spec_part(self.object(spec_type)), "description": doc},
            }
            for kind, (spec_type, doc) in sorted(kinds.items())
        ]
        schema["unevaluatedProperties"] = False
        return self.define(name, schema)


def _spec_part(schema: dict[str, Any]) -> dict[str, Any]:
    """A spec's object schema as the `then` of a kind: only its properties and required keys."""
    return {key: schema[key] for key in ("properties", "required") if key in schema}


def _json_default(info: FieldInfo) -> Any:
    """The field's default as the config would spell it, or None (no default worth showing)."""
    value = info.default
    if value is dataclasses.MISSING or value is None or dataclasses.is_dataclass(value):
        return None
    if get_origin(info.hint) is Annotated and DURATION in get_args(info.hint):
        return format_duration(value)
    if isinstance(value, tuple | list):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value if isinstance(value, str | int | float | bool) else None


def schema_text() -> str:
    """The file content of config/schema.json."""
    return json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
