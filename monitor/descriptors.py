"""Keeping file descriptors for the probes.

Every probe run opens a socket. If idle clients of the HTTP server (or open console event
streams) took every descriptor, probes of healthy apps would fail with "Too many open files".
So, at start, the soft RLIMIT_NOFILE is raised to the hard limit; the HTTP server takes at
most `service.max_connections` connections at once and answers 503 beyond (as does the console
beyond `console.max_streams` event streams); and those limits are lowered, with a warning,
when they would not leave a reserve for the probes (`max_concurrency` plus RESERVE_FDS).
"""

from __future__ import annotations

import asyncio
import json
import resource
from typing import Any, Final

import structlog
from aiohttp import web

log = structlog.get_logger("descriptors")

# Descriptors kept apart for everything but client connections and probes: the ledger and
# alert store files, the outbox's connections, DNS threads, InfluxDB, log files.
RESERVE_FDS: Final = 64
_BUSY_BODY: Final = json.dumps(
    {"error": {"code": "busy", "message": "too many connections; try again shortly"}}
).encode()
BUSY_RESPONSE: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Retry-After: 5\r\nConnection: close\r\nContent-Length: "
    + str(len(_BUSY_BODY)).encode() + b"\r\n\r\n" + _BUSY_BODY
)


def raise_nofile_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit; log both; return the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError) as exc:  # a container may refuse: keep what we have
            log.warning("nofile_not_raised", soft=soft, hard=hard, error=str(exc))
            return soft
    new_soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    log.info("nofile_limit", soft_before=soft, soft=new_soft, hard=hard)
    return new_soft


def connection_budget(nofile: int, max_concurrency: int, max_connections: int,
                      max_streams: int) -> tuple[int, int]:
    """(connections, streams) that leave the probes their reserve, lowered if needed."""
    available = max(nofile - max_concurrency - RESERVE_FDS, 8)
    connections = min(max_connections, available)
    streams = min(max_streams, connections // 2)
    if (connections, streams) != (max_connections, max_streams):
        log.warning("connection_limits_lowered", nofile=nofile, max_concurrency=max_concurrency,
                    max_connections=connections, max_streams=streams)
    return connections, streams


class _Busy(asyncio.Protocol):
    """Answers 503 and hangs up: a connection beyond the limit holds its descriptor for no
    longer than it takes to say so."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(BUSY_RESPONSE)
        transport.close()


class CappedSite(web.TCPSite):
    """A TCP site taking at most `limit` connections at once."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, *, limit: int) -> None:
        super().__init__(runner, host, port)
        self.limit = limit
        self.refused = 0

    async def start(self) -> None:
        # TCPSite.start, with the counting factory in place of the runner's server.
        self._runner._reg_site(self)  # what BaseSite.start does
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._factory, self._host, self._port, backlog=self._backlog,
            reuse_address=self._reuse_address, reuse_port=self._reuse_port,
        )

    def _factory(self) -> Any:
        handler = self._runner.server
        assert handler is not None
        if len(handler.connections) >= self.limit:
            self.refused += 1
            return _Busy()
        return handler()
