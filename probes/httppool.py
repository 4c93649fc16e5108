"""Open HTTP connections and the idle pool that keeps them between requests.

Reuse is opt-in for `http` checks (a probe should normally see connect failures) and always on
within one `flow` run. The shared pool lives on the `ProbeResources` instance so it has the
same lifetime as the other shared resources, without a module-level global.
"""

from __future__ import annotations

import asyncio
import time
from typing import Final

from probes.base import ProbeResources
from probes.httpwire import WireProtocol

PoolKey = tuple[str, str, int, bool, str | None]  # scheme, host, port, verify, ca_file

# Idle connections kept per target. Checks of one host share a key, and a burst of runs of
# the same check may each leave one behind; more than this only holds file descriptors.
MAX_IDLE_PER_KEY: Final = 128
# Servers drop idle keep-alive connections after 5 s (Apache) to 75 s (nginx); older ones are
# likely dead, and a reused dead connection costs a retry.
IDLE_TIMEOUT_S: Final = 50.0
# Every this many returns the whole pool is swept for expired connections of forgotten targets.
_SWEEP_EVERY: Final = 256
_POOL_ATTR: Final = "_appmon_http_pool"


class Connection:
    """One open connection, with what was learnt while opening it."""

    __slots__ = (
        "cert_days_left", "idle_since", "ip", "key", "loop", "proto", "tls_version", "transport",
    )

    def __init__(
        self, key: PoolKey, transport: asyncio.Transport, proto: WireProtocol, ip: str
    ) -> None:
        self.key = key
        self.transport = transport
        self.proto = proto
        self.ip = ip
        self.loop = asyncio.get_running_loop()
        self.tls_version: str | None = None
        self.cert_days_left: float | None = None
        self.idle_since = 0.0

    def usable(self) -> bool:
        """Still open, and the peer sent nothing while idle (unexpected bytes mean confusion)."""
        proto = self.proto
        return not (proto.eof or proto.buffer or self.transport.is_closing())

    def close(self) -> None:
        # abort() rather than close(): for TLS it skips the close_notify round trip, which a
        # broken peer may never answer, and nothing is left to flush after a response.
        if self.loop.is_closed():
            return  # the loop that owns the socket is gone; nothing can be scheduled on it
        self.transport.abort()


class ConnectionPool:
    """Idle connections by target; newest first, so the fewest connections stay warm."""

    def __init__(
        self, max_idle_per_key: int = MAX_IDLE_PER_KEY, idle_timeout_s: float = IDLE_TIMEOUT_S
    ) -> None:
        self._idle: dict[PoolKey, list[Connection]] = {}
        self._max_idle = max_idle_per_key
        self._idle_timeout_s = idle_timeout_s
        self._returns = 0

    def take(self, key: PoolKey) -> Connection | None:
        conns = self._idle.get(key)
        if not conns:
            return None
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        while conns:
            conn = conns.pop()
            if conn.loop is loop and conn.usable() and now - conn.idle_since < self._idle_timeout_s:
                return conn
            conn.close()
        return None

    def put(self, conn: Connection) -> None:
        conn.idle_since = time.monotonic()
        conns = self._idle.setdefault(conn.key, [])
        conns.append(conn)
        if len(conns) > self._max_idle:
            conns.pop(0).close()
        self._returns += 1
        if self._returns % _SWEEP_EVERY == 0:
            self._sweep(conn.idle_since)

    def _sweep(self, now: float) -> None:
        for key, conns in list(self._idle.items()):
            keep = [c for c in conns if c.usable() and now - c.idle_since < self._idle_timeout_s]
            for conn in conns:
                if conn not in keep:
                    conn.close()
            if keep:
                self._idle[key] = keep
            else:
                del self._idle[key]

    def idle_count(self) -> int:
        return sum(len(conns) for conns in self._idle.values())

    def close_all(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()


def shared_pool(resources: ProbeResources) -> ConnectionPool:
    """The pool shared by `http` checks with `reuse_connection`, created on first use."""
    pool = getattr(resources, _POOL_ATTR, None)
    if not isinstance(pool, ConnectionPool):
        pool = ConnectionPool()
        setattr(resources, _POOL_ATTR, pool)
    return pool


def close_shared_pool(resources: ProbeResources) -> None:
    """Close the idle connections of the shared pool (service shutdown)."""
    pool = getattr(resources, _POOL_ATTR, None)
    if isinstance(pool, ConnectionPool):
        pool.close_all()
