"""One registry of secret values, used to mask every output.

    register(["tok-3f9a...", "https://h/hook/s3cr3t-path"])   # the config loader does this
    mask_secret_values("error at /hook/s3cr3t-path")        # -> "error at /hook/***"

Patterns (URL credentials, bearer tokens) catch secrets by their shape; this registry catches
them by value wherever they turn up: a receiver echoing the path of its URL in an error, a
`${KEY}` substituted into a check's query string and quoted by a probe, a secret in a
non-secret field. The config loader registers every value that came from a secret field or a
`${ENV}` substitution, and the parts of secret URLs that may stand alone (path segments, query
values, the password); `monitor.core.logs.mask_text` applies it, so logs, delivery records,
API answers, the console, reports and `validate` all mask the same values.

Process-wide on purpose: a secret learned from any config load stays masked for the life of
the process, even after a reload removed it (its old value may still sit in a record).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Final
from urllib.parse import parse_qsl, unquote, urlsplit

MASK: Final = "***"
# Shorter values are not registered: masking "on" or "8080" would mangle ordinary text.
MIN_SECRET_CHARS: Final = 6
LONG_SEGMENT_CHARS: Final = 16

class _Registry:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: tuple[str, ...] = ()  # longest first: a value masked whole, then parts


_REGISTRY: Final = _Registry()


def register(values: Iterable[str]) -> None:
    """Add values to mask (short ones are ignored)."""
    fresh = {v for v in values if isinstance(v, str) and len(v) >= MIN_SECRET_CHARS}
    if not fresh - set(_REGISTRY.values):
        return
    with _REGISTRY.lock:
        merged = set(_REGISTRY.values) | fresh
        _REGISTRY.values = tuple(sorted(merged, key=lambda v: (-len(v), v)))


def register_url(url: str) -> None:
    """A secret URL: the whole of it and each part that may be quoted alone."""
    register([url, *url_parts(url)])


def url_parts(url: str) -> list[str]:
    """Path segments, query values and the password of `url` (raw and percent-decoded)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    # A path segment is a secret when it looks like one (long, or with digits), not "api".
    found = [segment for segment in parts.path.split("/")
             if len(segment) >= LONG_SEGMENT_CHARS or any(c.isdigit() for c in segment)]
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=False)]
    if parts.password:
        found.append(parts.password)
    return [*found, *(unquote(v) for v in found)]


def known() -> tuple[str, ...]:
    return _REGISTRY.values


def mask_secret_values(text: str) -> str:
    """`text` with every registered value replaced by ***."""
    values = _REGISTRY.values
    if not values or not text:
        return text
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    return text


def forget_all() -> None:
    """Tests only: start from an empty registry."""
    with _REGISTRY.lock:
        _REGISTRY.values = ()
