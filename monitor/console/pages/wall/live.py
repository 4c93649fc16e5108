"""The wall's live stream: GET /console/events (server-sent events).

Every `console.live_interval` the handler takes a snapshot (check states and active incidents
are in memory: no I/O) and sends this client only what changed since its last event: the
tiles whose state changed, the counts, and the incidents block as HTML when it changed. The
first event carries every tile: wall.js compares it with the page and touches only tiles that
differ, so a page rendered a moment before the stream opened is put right at once (and again
after every reconnect). A comment line every HEARTBEAT_S keeps proxies from closing an idle
stream.

A stream ends when its client goes away (the next write fails, or the transport is closing)
and when the service stops: aiohttp's runner.cleanup waits up to 60 s for every handler, so
`install` hooks the application's shutdown to wake and end every stream at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any, Final

import structlog
from aiohttp import web

from monitor.console.auth import require_read
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.pages.wall.health import Health, health
from monitor.console.pages.wall.incidents import WallIncident, incident_views
from monitor.console.pages.wall.view import (
    Layout,
    TileState,
    count,
    department_counts,
    layout,
    tile_states,
)
from monitor.console.pages.wall.words import WORDS
from monitor.console.render import translator
from monitor.core.config.model import Config
from monitor.templating import environment

log = structlog.get_logger("console")

HEARTBEAT_S: Final = 15.0  # well under the 60 s idle timeout of common proxies (nginx)
RETRY_MS: Final = 3000  # EventSource waits this long before it reconnects after a drop
SSE_HEADERS: Final = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",  # nginx would otherwise hold events back in its buffer
}


class LiveStreams:
    """The open streams of one application: how many, the signal that ends them all, and the
    latest snapshot, which streams ticking close together share (a centre with many wall
    screens pays for one snapshot per tick, not one per screen)."""

    def __init__(self, limit: int = 1_000_000) -> None:
        self.stopping = asyncio.Event()
        self.open = 0
        self.limit = limit  # streams beyond it get 503: each holds a descriptor (descriptors.py)
        self._shared: tuple[float, Snapshot] | None = None

    async def snapshot(self, ctx: ConsoleContext, previous: Snapshot | None, now: float
                       ) -> Snapshot:
        """A snapshot at most half an interval old (taken now if the last one is older)."""
        max_age = ctx.config.console.live_interval_s / 2
        if self._shared is not None:
            taken, shared = self._shared
            if now - taken < max_age and shared.config is ctx.config:
                return shared
        current = take_snapshot(ctx, previous, await outbox_backlog(ctx))
        self._shared = (now, current)
        return current

    async def stop_all(self, _app: web.Application) -> None:
        self.stopping.set()


LIVE_KEY: Final = web.AppKey("console_live", LiveStreams)


def install(app: web.Application, max_streams: int) -> None:
    """Before the app starts: the stream registry and the shutdown hook that ends streams."""
    streams = LiveStreams(max_streams)
    app[LIVE_KEY] = streams
    app.on_shutdown.append(streams.stop_all)


@dataclass(frozen=True, slots=True)
class Snapshot:
    config: Config
    shape: Layout
    tiles: dict[str, TileState]
    counts: dict[str, int]
    departments: dict[str, list[int]]
    incidents: tuple[WallIncident, ...]
    health: Health


def maintenance_now(ctx: ConsoleContext, now: float) -> frozenset[str]:
    config = ctx.config
    if not config.maintenance:
        return frozenset()
    calendar = ctx.alerts.calendar
    return frozenset(a.id for a in config.apps if calendar.active(a.id, now) is not None)


async def outbox_backlog(ctx: ConsoleContext) -> int:
    """Notifications waiting to be sent, over every channel."""
    return sum((await ctx.store.pending_counts()).values())


def probes_in_flight(ctx: ConsoleContext) -> int:
    samples = next(iter(ctx.state.metrics.in_flight.collect())).samples
    return int(samples[0].value) if samples else 0


def take_snapshot(ctx: ConsoleContext, previous: Snapshot | None = None,
                  backlog: int = 0) -> Snapshot:
    config, now = ctx.config, ctx.now()
    # The layout only changes with the config (a reload swaps the object).
    shape = previous.shape if previous and previous.config is config else layout(config)
    active = list(ctx.alerts.active.values())
    states = ctx.ledger.check_states()
    tiles = tile_states(config, states, active, now, maintenance_now(ctx, now))
    vitals = health(config, states, active, started_at=ctx.state.started_at, backlog=backlog,
                    in_flight=probes_in_flight(ctx))
    return Snapshot(config, shape, tiles, count(tiles.values()),
                    department_counts(shape, tiles), incident_views(config, active, now), vitals)


def incidents_html(config: Config, incidents: tuple[WallIncident, ...]) -> str:
    """The incidents block, rendered by the same template as the page."""
    return environment().get_template("wall/wall_incidents.html").render(
        t=translator(config.service.language, WORDS), incidents=incidents)


def change(before: Snapshot | None, after: Snapshot, now: float | None = None
           ) -> dict[str, Any] | None:
    """What this client has not seen yet; None when nothing changed. Every event carries the
    server's time, against which wall.js measures how old the newest result is."""
    full = before is None or before.shape.key != after.shape.key
    message: dict[str, Any] = {}
    tiles = {app_id: state.patch() for app_id, state in after.tiles.items()
             if full or before is None or before.tiles.get(app_id) != state}
    if tiles:
        message["tiles"] = tiles
    if full or before is None or before.counts != after.counts:
        message["counts"] = after.counts
    if full or before is None or before.departments != after.departments:
        message["depts"] = after.departments
    if full or before is None or before.incidents != after.incidents:
        message["incidents_html"] = incidents_html(after.config, after.incidents)
        message["incidents_n"] = len(after.incidents)
    if full or before is None or before.health != after.health:
        message["health"] = after.health.patch()
    if not message:
        return None
    message["layout"] = after.shape.key
    if now is not None:
        message["now"] = round(now * 1000)
    return message


def _event(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    return f"event: wall\ndata: {data}\n\n".encode()


async def events(request: web.Request) -> web.StreamResponse:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    streams = request.app.get(LIVE_KEY) or LiveStreams()
    if streams.open >= streams.limit:
        raise web.HTTPServiceUnavailable(
            text="too many live streams; the wall reconnects by itself",
            headers={"Retry-After": "10"},
        )
    response = web.StreamResponse(headers=SSE_HEADERS)
    await response.prepare(request)
    streams.open += 1
    loop = asyncio.get_running_loop()
    try:
        await response.write(f"retry: {RETRY_MS}\n\n".encode())
        await _run(request, response, ctx, streams, loop)
    except ConnectionResetError:  # the client left between two events
        pass
    finally:
        streams.open -= 1
    return response


async def _run(request: web.Request, response: web.StreamResponse, ctx: ConsoleContext,
               streams: LiveStreams, loop: asyncio.AbstractEventLoop) -> None:
    previous: Snapshot | None = None
    last_write = loop.time()
    while not streams.stopping.is_set():
        transport = request.transport
        if transport is None or transport.is_closing():
            return
        current = await streams.snapshot(ctx, previous, loop.time())
        message = change(previous, current, ctx.now())
        previous = current
        if message is not None:
            await response.write(_event(message))
            last_write = loop.time()
        elif loop.time() - last_write >= HEARTBEAT_S:
            await response.write(b": keep-alive\n\n")
            last_write = loop.time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(streams.stopping.wait(), ctx.config.console.live_interval_s)


ROUTES: Final = [web.get("/console/events", events)]
