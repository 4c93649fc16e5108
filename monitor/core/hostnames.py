"""Host names as they go on the wire (IDNA 2008), and whether a name can be one."""

from __future__ import annotations

import ipaddress
import re
from typing import Final

import idna

from monitor.core.configtext import ConfigText, ConfigValueError

# A host name label once in ASCII: letters, digits, '-' and '_' (browsers and resolvers accept
# the underscore of some intranet names), 1 to 63 characters.
_LABEL: Final = re.compile(r"[A-Za-z0-9_-]{1,63}")


def ascii_host(host: str) -> str:
    """`host` as it goes on the wire: IDNA 2008 (UTS #46), as browsers and yarl encode it,
    rather than the IDNA 2003 Python's own codec uses (they differ on ß, ς and others).
    Raises ConfigValueError (a ValueError) for a name that cannot be a host name."""
    if _is_ip(host):
        return host
    try:
        encoded = host if host.isascii() else idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ConfigValueError("host.bad_idna", host=host, detail=str(exc)) from None
    name = encoded.lower()
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ConfigValueError("host.bad_labels", host=host)
    return name


def host_problem(host: str) -> ConfigText | None:
    """Why `host` is not a usable host name or IP address; None when it is."""
    try:
        ascii_host(host.strip("[]"))
    except ConfigValueError as exc:
        return exc.text
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
