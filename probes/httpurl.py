"""URLs prepared for the wire: host, port, Host header and an encoded request target."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

from probes.base import ErrorKind
from probes.errors import ProbeError

# Characters left as they are when a URL's path and query are percent-encoded for the wire.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a URL points, prepared for the wire."""

    scheme: str
    host: str  # lower-case, IDNA-encoded, IPv6 without brackets
    port: int
    request_target: str  # path and query, percent-encoded
    host_header: str
    is_ip: bool

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def path(self) -> str:
        return self.request_target.split("?", 1)[0]


@lru_cache(maxsize=4096)  # checks request the same few URLs over and over
def parse_url(url: str) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ProbeError(ErrorKind.PROTOCOL, f"bad URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        raise ProbeError(ErrorKind.PROTOCOL, f"not an http(s) URL: {url!r}")
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    default_port = 443 if scheme == "https" else 80
    port = port or default_port
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    if not target.isascii() or " " in target:
        target = quote(target, safe=_URL_SAFE)
    is_ip = _is_ip(host)
    host_header = f"[{host}]" if ":" in host else host
    if port != default_port:
        host_header = f"{host_header}:{port}"
    return Target(scheme, host, port, target, host_header, is_ip)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
