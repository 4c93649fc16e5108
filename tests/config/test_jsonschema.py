"""config/schema.json: generated from the dataclasses, committed, and agreeing with the loader."""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.config.jsonschema import config_json_schema, schema_text
from monitor.config.loader import TOP_LEVEL_KEYS
from probes.registry import PROBE_KINDS

ROOT = Path(__file__).parents[2]
SCHEMA_FILE = ROOT / "config" / "schema.json"
EXAMPLE = ROOT / "config" / "example.yaml"


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "config/schema.json is stale: python -m monitor.config.jsonschema > config/schema.json"
    )


def test_every_section_and_kind_is_described() -> None:
    schema = config_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == list(TOP_LEVEL_KEYS)
    for name, kinds in [("Check", PROBE_KINDS), ("Notifier", NOTIFIER_KINDS)]:
        branches = schema["$defs"][name]["allOf"]
        assert [b["if"]["properties"]["kind"]["const"] for b in branches] == sorted(kinds)
        assert all(branch["then"]["description"] for branch in branches)
    defaults = schema["$defs"]["Defaults"]["properties"]
    assert defaults["interval"]["default"] == "1m"
    assert defaults["interval"]["description"]


# A validator for the subset of draft 2020-12 the generator emits, so the test needs nothing
# that is not installed; the `jsonschema` package is used instead when present.
_TYPES: dict[str, Any] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool,
    "null": type(None), "object": dict, "array": list,
}  # fmt: skip


def _is(instance: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(instance, bool):
        return False
    return isinstance(instance, _TYPES[name])


def _check(schema: Any, inst: Any, root: dict[str, Any], path: str) -> tuple[list[str], set[str]]:
    """(errors, names of the properties this schema evaluated)."""
    errors: list[str] = []
    seen: set[str] = set()

    def sub(part: Any, value: Any = inst, where: str = path) -> list[str]:
        errs, names = _check(part, value, root, where)
        if value is inst and not errs:
            seen.update(names)
        return errs

    if "$ref" in schema:
        errors += sub(root["$defs"][schema["$ref"].removeprefix("#/$defs/")])
    types = schema.get("type")
    if types and not any(_is(inst, t) for t in ([types] if isinstance(types, str) else types)):
        errors.append(f"{path}: not {types}")
    if "enum" in schema and inst not in schema["enum"]:
        errors.append(f"{path}: {inst!r} not in {schema['enum']}")
    if "const" in schema and inst != schema["const"]:
        errors.append(f"{path}: {inst!r} != {schema['const']!r}")
    if isinstance(inst, str) and "pattern" in schema and not re.search(schema["pattern"], inst):
        errors.append(f"{path}: {inst!r} does not match {schema['pattern']}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if _is(inst, "number") and (
        (low is not None and inst < low) or (high is not None and inst > high)
    ):
        errors.append(f"{path}: {inst} out of range")
    if isinstance(inst, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, value in inst.items():
            if key in props:
                errors += sub(props[key], value, f"{path}.{key}")
                seen.add(key)
            elif extra is False:
                errors.append(f"{path}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += sub(extra, value, f"{path}.{key}")
                seen.add(key)
        errors += [f"{path}: missing {k!r}" for k in schema.get("required", []) if k not in inst]
    if isinstance(inst, list) and "items" in schema:
        for i, item in enumerate(inst):
            errors += sub(schema["items"], item, f"{path}[{i}]")
    if "anyOf" in schema and all(sub(branch) for branch in schema["anyOf"]):
        errors.append(f"{path}: matches no branch of anyOf")
    for part in schema.get("allOf", []):
        errors += sub(part)
    if "if" in schema and not sub(schema["if"]):
        errors += sub(schema.get("then", {}))
    if schema.get("unevaluatedProperties") is False and isinstance(inst, dict):
        errors += [f"{path}: unexpected key {key!r}" for key in inst if key not in seen]
    return errors, seen


def schema_errors(instance: Any) -> list[str]:
    schema = config_json_schema()
    if importlib.util.find_spec("jsonschema") is not None:
        jsonschema = importlib.import_module("jsonschema")
        validator = jsonschema.Draft202012Validator(schema)
        return [error.message for error in validator.iter_errors(instance)]
    return _check(schema, instance, schema, "$")[0]


def example() -> dict[str, Any]:
    loaded = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_example_yaml_satisfies_the_schema() -> None:
    assert schema_errors(example()) == []


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(example())
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["defaults", "interva"], "30s"),  # unknown key
        (["defaults", "interval"], "30 seconds"),  # bad duration
        (["apps", 0, "checks", 0, "kind"], "htp"),  # unknown kind
        (["apps", 0, "checks", 2, "body_contains"], "x"),  # an http key on a tcp check
        (["apps", 0, "checks", 2, "port"], 70000),  # out of range
        (["apps", 0, "id"], "KQ_OA"),  # id format
        (["apps", 0, "owner", "mobile"], "1380000"),
        (["notifiers", 2, "to"], "ops@example.org"),  # a list is needed
        (["notifiers", 0, "hmac_secret"], "x"),  # a webhook key on a dingtalk robot
    ],
)
def test_schema_rejects_common_mistakes(path: list[Any], value: Any) -> None:
    assert schema_errors(mutate(path, value))


def test_committed_file_is_valid_json_with_chinese_kept() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(text) == config_json_schema()
    assert "柯桥区协同办公" in text  # ensure_ascii=False: docs stay readable
