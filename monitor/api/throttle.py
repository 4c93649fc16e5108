"""Failed sign-ins and failed token checks, counted per client, answered with 429 past a few.

A client (its remote address; an IPv6 client by its /64, the block one host usually holds)
may fail FREE_FAILURES times within WINDOW_S. Each failure after that locks the client out
for BASE_LOCK_S * 2**(n - FREE_FAILURES), at most MAX_LOCK_S; while locked out, every attempt
gets 429 with Retry-After *without the token being looked at*, so guessing runs at a few
tries a minute instead of thousands a second. A success resets the client; a client that
stops failing for WINDOW_S starts afresh.

Why 429 and not a sleep before answering: a delayed answer holds a connection (and the
service takes a bounded number of them) for every guess in flight, so a guesser with many
connections would slow everyone; a 429 costs one dictionary lookup and tells an honest client
exactly when to come back. Other clients are never slowed: nothing here waits.

Kept in memory, bounded to MAX_CLIENTS entries (the idle ones go first, then the oldest).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

FREE_FAILURES: Final = 10  # free per minute: an office behind one NAT address mistyping
WINDOW_S: Final = 60.0  # failures older than this (since the last one) are forgotten
BASE_LOCK_S: Final = 0.25  # the first lock-out: unnoticeable for a person retrying by hand
MAX_LOCK_S: Final = 10.0  # a person locked out still gets back in within seconds
MAX_CLIENTS: Final = 10_000  # memory bound: ~1 MB of entries


@dataclass(slots=True)
class _Entry:
    failures: int
    last: float
    until: float


def client_key(remote: str | None) -> str:
    """Who is counted: the address, an IPv6 address by its /64."""
    if not remote:
        return "?"
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return remote  # a unix socket path or the like: one client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class Throttle:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self._clock = clock
        self._max = max_clients
        self._entries: dict[str, _Entry] = {}

    def retry_after(self, remote: str | None) -> int:
        """Whole seconds until `remote` may try again; 0 when it may try now."""
        entry = self._entries.get(client_key(remote))
        if entry is None:
            return 0
        wait = entry.until - self._clock()
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, remote: str | None) -> None:
        key, now = client_key(remote), self._clock()
        entry = self._entries.pop(key, None)
        if entry is None or now - entry.last > WINDOW_S:
            entry = _Entry(0, now, now)
        entry.failures += 1
        entry.last = now
        extra = entry.failures - FREE_FAILURES
        if extra >= 0:
            entry.until = now + min(MAX_LOCK_S, BASE_LOCK_S * 2.0 ** min(extra, 32))
        self._make_room(now)
        self._entries[key] = entry  # re-inserted: the dict's order is least recent first

    def succeeded(self, remote: str | None) -> None:
        self._entries.pop(client_key(remote), None)

    def _make_room(self, now: float) -> None:
        if len(self._entries) < self._max:
            return
        for key in [k for k, e in self._entries.items()
                    if now - e.last > WINDOW_S and e.until <= now]:
            del self._entries[key]
        while len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]

    def __len__(self) -> int:
        return len(self._entries)
