"""A tiny dotted JSON path: `data.items[0].name`, with an optional leading `$` or `$.`.

Enough for health answers and flow captures; no wildcards or filters. Keys with dots or
brackets can be written quoted: `data["a.b"]`. A numeric segment also indexes a list:
`items.0.name` equals `items[0].name`.
"""

from __future__ import annotations

import json
from typing import Any

from monitor.core.jsonpathsyntax import Segment, parse_path
from monitor.core.reasons import Reason
from probes.base import ErrorKind
from probes.errors import ProbeError


def decode_json(body: str | bytes) -> Any:
    """The decoded document; a body that is not JSON fails with a CONTENT error."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise ProbeError.because(ErrorKind.CONTENT, "json.invalid", detail=exc.msg,
                                 line=exc.lineno, column=exc.colno) from None
    except ValueError as exc:  # bytes in no Unicode encoding
        raise ProbeError.because(ErrorKind.CONTENT, "json.undecodable", detail=exc) from None


def lookup(document: Any, path: str) -> Any:
    """The value at `path`; a missing key or index fails with a CONTENT error naming it."""
    try:
        segments = parse_path(path)
    except ValueError as exc:
        raise ProbeError.because(ErrorKind.CONTENT, "json.bad_path", detail=exc) from None
    value = document
    walked = "$"
    for segment in segments:
        value = _step(value, segment, path, walked)
        walked += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return value


def _step(value: Any, segment: Segment, path: str, walked: str) -> Any:
    if isinstance(value, list):
        index = segment if isinstance(segment, int) else _as_index(segment)
        if index is not None and -len(value) <= index < len(value):
            return value[index]
        why = Reason("json.no_index", {"walked": walked, "count": len(value), "segment": segment})
    elif isinstance(value, dict) and not isinstance(segment, int):
        if segment in value:
            return value[segment]
        why = Reason("json.no_key", {"walked": walked, "key": segment})
    else:
        code = "json.not_list" if isinstance(segment, int) else "json.not_object"
        why = Reason(code, {"walked": walked, "what": describe(value)})
    raise ProbeError.because(ErrorKind.CONTENT, "json.not_found", path=path, why=why)


def _as_index(segment: str) -> int | None:
    return int(segment) if segment.lstrip("-").isdigit() else None


def describe(value: Any) -> str:
    """A short JSON rendering of a value for messages."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 60 else f"{text[:57]}..."


def as_text(value: Any) -> str:
    """A JSON value as a variable: strings as they are, anything else as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
