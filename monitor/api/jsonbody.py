"""The one way the API reads a JSON body: bounded in size and depth, strict about encoding.

    body = await read_json(request)       # any JSON value, or ApiError 400/413
    body = parse_json(raw)                # the same, for a handler that read the raw bytes
                                          # first (to check an HMAC of them, say)

What is refused, each with a 400 in the contract's error shape (413 for size), never a 500:
a body over MAX_JSON_BYTES; bytes that are not UTF-8 (json.loads would otherwise guess UTF-16
or UTF-32); nesting deeper than MAX_JSON_DEPTH (the standard parser recurses and a 100,000-deep
array ends in RecursionError); NaN and Infinity (not JSON); and lone surrogates written as
escapes ("\\ud800"), which decode to a str that no log line, database or reply can encode.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from aiohttp import web

from monitor.api.auth import ApiError

# Bodies are a note, an acknowledgement, an Alertmanager batch or a traffic list: a MiB is
# far more than any of them (Alertmanager caps its batches well below it).
MAX_JSON_BYTES: Final = 1024 * 1024
# Our bodies nest two or three levels; 64 leaves room for any honest client and keeps the
# recursive standard parser far from Python's recursion limit.
MAX_JSON_DEPTH: Final = 64

# A JSON string: brackets inside one do not nest. Each character is consumed once (the two
# alternatives never overlap), so this is linear even on hostile input.
_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS: Final = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS: Final = frozenset(b"[{")


def _bad(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def nesting_depth(raw: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep the brackets of `raw` nest (outside strings), counting stops past `limit`."""
    depth = deepest = 0
    for byte in _STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS):
        if byte in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes, *, max_bytes: int = MAX_JSON_BYTES,
               max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value in `raw`, or ApiError (400; 413 when larger than max_bytes)."""
    if len(raw) > max_bytes:
        raise ApiError(413, "payload_too_large", f"the body is larger than {max_bytes} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"the body is not UTF-8 (byte {exc.start})") from None
    if nesting_depth(raw, max_depth) > max_depth:
        raise _bad(f"the body nests deeper than {max_depth} levels")
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"the body is not valid JSON: {exc}") from None
    try:
        # Lone surrogates ("\ud800") decode to text that cannot be written anywhere.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _bad("the body holds a lone surrogate (\\ud800-\\udfff): not text") from None
    return value


async def read_json(request: web.Request, *, max_bytes: int = MAX_JSON_BYTES,
                    max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Read the request's body (refused early when its Content-Length is too large) and
    parse it with parse_json."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "payload_too_large", f"the body is larger than {max_bytes} bytes")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "payload_too_large", "the body is larger than the server takes"
                       ) from None
    return parse_json(raw, max_bytes=max_bytes, max_depth=max_depth)
