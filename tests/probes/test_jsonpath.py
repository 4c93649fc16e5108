"""The tiny JSON path used by `expect.json` and flow captures."""

from __future__ import annotations

from typing import Any

import pytest

from probes.base import ErrorKind
from probes.errors import ProbeError
from probes.httpcheck import json_equal
from probes.jsonpath import as_text, decode_json, lookup, parse_path

DOC = {
    "data": {"items": [{"name": "db", "ok": True}, {"name": "cache", "ok": False}], "n": 2},
    "a.b": {"c": None},
    "list": [[1, 2], [3, 4]],
}


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("", ()),
        ("$", ()),
        ("$.data", ("data",)),
        ("data.items[0].name", ("data", "items", 0, "name")),
        ("$data.items[-1]", ("data", "items", -1)),
        ("list[1][0]", ("list", 1, 0)),
        ('["a.b"].c', ("a.b", "c")),
        ("$['a.b']", ("a.b",)),
        (" data.n ", ("data", "n")),
    ],
)
def test_parse_path(path: str, segments: tuple[Any, ...]) -> None:
    assert parse_path(path) == segments


@pytest.mark.parametrize(
    "path", ["data..n", ".data.", "data[x]", "data[0", "a b]", "$..a", "a[0]b"]
)
def test_bad_paths_are_rejected(path: str) -> None:
    with pytest.raises(ValueError, match="bad JSON path"):
        parse_path(path)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("data.items[0].name", "db"),
        ("$.data.items[-1].ok", False),
        ("data.items.1.name", "cache"),  # a numeric key indexes a list
        ("list[1][0]", 3),
        ('["a.b"].c', None),
        ("$", DOC),
    ],
)
def test_lookup(path: str, value: Any) -> None:
    assert lookup(DOC, path) == value


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("data.missing", "no key 'missing' in $.data"),
        ("data.items[5]", "$.data.items has 2 items, no [5]"),
        ("data.n.x", "$.data.n is 2, not an object"),
        ("data[0]", '$.data is {"items":[{"name":"db","ok":true},{"name":"cache","ok":fa...'
         ", not a list"),
        ("data.items[0].name[0]", '$.data.items[0].name is "db", not a list'),
    ],
)
def test_lookup_failures_say_where(path: str, reason: str) -> None:
    with pytest.raises(ProbeError) as caught:
        lookup(DOC, path)
    assert caught.value.kind is ErrorKind.CONTENT
    assert caught.value.message == f"JSON path {path!r} not found: {reason}"


def test_bad_path_syntax_is_content_error_in_lookup() -> None:
    with pytest.raises(ProbeError, match="bad JSON path"):
        lookup(DOC, "data..n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>", "body is not valid JSON: Expecting value at line 1 column 1"),
        ('{"a": 1', "body is not valid JSON: Expecting ',' delimiter at line 1 column 8"),
        (b"\xff\xfe\x00", "body is not valid JSON: "),
    ],
)
def test_decode_errors_are_content(body: str | bytes, message: str) -> None:
    with pytest.raises(ProbeError) as caught:
        decode_json(body)
    assert caught.value.kind is ErrorKind.CONTENT
    assert caught.value.message.startswith(message)


def test_decode_accepts_bytes_and_text() -> None:
    assert decode_json(b'{"x": [1]}') == decode_json('{"x": [1]}') == {"x": [1]}


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        ("UP", "UP", True),
        (200, "200", True),
        ("200", 200, True),
        (1.5, 1.5, True),
        (1, 1.0, True),
        (True, True, True),
        (True, 1, False),
        (1, True, False),
        ("true", True, False),
        (None, None, True),
        ([1, 2], [1, 2], True),
        ("UP", "DOWN", False),
    ],
)
def test_json_equal(actual: Any, expected: Any, equal: bool) -> None:
    assert json_equal(actual, expected) is equal


def test_as_text() -> None:
    assert [as_text(v) for v in ("tok", 12, 1.5, True, None, {"a": 1})] == [
        "tok", "12", "1.5", "true", "null", '{"a":1}'
    ]
