"""Which addresses a probe connects to: the address family option and happy eyeballs.

`ip_version: "4"` or `"6"` pins a check to one family, so that a broken IPv6 (or IPv4) path
shows as a failure instead of being hidden by the other; `"auto"` tries both the way browsers
do (RFC 8305 happy eyeballs: each address gets its attempt, the next starting after a delay).
"""

from __future__ import annotations

import socket
from typing import Final, Literal

IpVersion = Literal["auto", "4", "6"]
FAMILIES: Final[dict[str, socket.AddressFamily]] = {
    "auto": socket.AF_UNSPEC, "4": socket.AF_INET, "6": socket.AF_INET6,
}
# RFC 8305 "Connection Attempt Delay": the next address is tried after this long.
HAPPY_EYEBALLS_DELAY_S: Final = 0.25
