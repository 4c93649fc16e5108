"""Building blocks for frozen config dataclasses.

The config loader derives parsing, validation and the JSON Schema from dataclass fields, so a
spec class only declares its fields with these markers:

    max_latency_s: Duration | None = setting(None, key="max_latency", doc="slower counts as failed")

`Duration`, `ByteSize` and `HttpUrl` are `Annotated` aliases: mypy sees plain float/int/str,
the loader sees the marker and parses "15s", "1MiB" or checks the URL.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from monitor.core.configtext import ConfigValueError


class _Marker:
    """A type marker carried inside `Annotated[...]`; its name is what error messages show."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


DURATION: Final = _Marker("duration")
BYTE_SIZE: Final = _Marker("byte size")
HTTP_URL: Final = _Marker("http url")
TEMPLATE_URL: Final = _Marker("url template")
PROXY_URL: Final = _Marker("proxy url")

Duration = Annotated[float, DURATION]
"""Seconds, written in the config as "500ms", "15s", "10m", "1h" or "7d"."""
ByteSize = Annotated[int, BYTE_SIZE]
"""Bytes, written as 1048576, "64KiB", "1MiB" or "2MB"."""
HttpUrl = Annotated[str, HTTP_URL]
"""An absolute http:// or https:// URL."""
TemplateUrl = Annotated[str, TEMPLATE_URL]
"""An http(s) URL that may contain {{ variable }} placeholders (flow steps)."""


def setting(
    default: Any = dataclasses.MISSING,
    *,
    key: str | None = None,
    doc: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """A dataclass field with its config key (if not the attribute name), doc and bounds."""
    meta = {"key": key, "doc": doc, "minimum": minimum, "maximum": maximum}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    if default is not dataclasses.MISSING and getattr(default, "__hash__", None) is None:
        # Read-only mappings are unhashable, which dataclasses take for mutable; share the one.
        return dataclasses.field(default_factory=lambda: default, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


_DURATION_RE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_DURATION_UNITS_S: Final = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SIZE_RE: Final = re.compile(r"^\s*(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*$")
_SIZE_UNITS: Final = {
    None: 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3,
    "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3,
}


def parse_duration(text: str) -> float:
    """'1.5s' -> 1.5; raises ConfigValueError (a ValueError) with a message fit for an
    operator."""
    match = _DURATION_RE.match(text)
    if not match:
        raise ConfigValueError("duration.bad", text=text)
    return float(match.group(1)) * _DURATION_UNITS_S[match.group(2)]


def format_duration(seconds: float) -> str:
    """The shortest exact config spelling of a duration: 90 -> '90s', 3600 -> '1h'."""
    for unit in ("d", "h", "m", "s"):
        size = _DURATION_UNITS_S[unit]
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{round(seconds * 1000)}ms"


def parse_byte_size(text: str) -> int:
    match = _SIZE_RE.match(text)
    if not match:
        raise ConfigValueError("size.bad", text=text)
    return int(match.group(1)) * _SIZE_UNITS[match.group(2)]


class Secret:
    """A secret string. Its repr and str are masked so it cannot leak into logs or errors."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


class SecretUrl(Secret):
    """A URL that may carry a token in its query or password in its userinfo (robot webhooks)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"SecretUrl({mask_url(self._value)!r})"

    def __str__(self) -> str:
        return mask_url(self._value)


ProxyUrl = Annotated[SecretUrl, PROXY_URL]
"""An HTTP proxy, http://[user:password@]host:port (masked like a secret), or "direct"."""
DIRECT: Final = "direct"  # a check's `proxy: direct` bypasses the default proxy


def proxy_address(proxy: SecretUrl | None) -> str | None:
    """The proxy URL to connect through; None for none or "direct"."""
    if proxy is None or proxy.reveal() == DIRECT:
        return None
    return proxy.reveal()


_SENSITIVE_PARAMS: Final = frozenset(
    {"access_token", "token", "key", "secret", "sign", "password", "passwd", "apikey", "api_key"}
)


def mask_url(url: str) -> str:
    """The URL with its password and sensitive query values replaced by '***'."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = urlencode(
        [
            (k, "***" if k.lower() in _SENSITIVE_PARAMS else v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
