"""Host names as they go on the wire (IDNA 2008), and whether a name can be one."""

from __future__ import annotations

import ipaddress
import re
from typing import Final

import idna

# A host name label once in ASCII: letters, digits, '-' and '_' (browsers and resolvers accept
# the underscore of some intranet names), 1 to 63 characters.
_LABEL: Final = re.compile(r"[A-Za-z0-9_-]{1,63}")


def ascii_host(host: str) -> str:
    """`host` as it goes on the wire: IDNA 2008 (UTS #46), as browsers and yarl encode it,
    rather than the IDNA 2003 Python's own codec uses (they differ on ß, ς and others).
    Raises ValueError for a name that cannot be a host name."""
    if _is_ip(host):
        return host
    try:
        encoded = host if host.isascii() else idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError(f"bad host name {host!r}: {exc}") from None
    name = encoded.lower()
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            f"bad host name {host!r}: labels of 1 to 63 letters, digits, '-' or '_', "
            "separated by single dots"
        )
    return name


def host_problem(host: str) -> str | None:
    """Why `host` is not a usable host name or IP address; None when it is."""
    try:
        ascii_host(host.strip("[]"))
    except ValueError as exc:
        return str(exc)
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
