"""The status wall: GET / (the page), GET /console/wall.json (a snapshot), and the live stream
GET /console/events (live.py).

The page is rendered whole on the server, every tile in the HTML: it paints at once and works
without JavaScript (the filters are a GET form). wall.js then filters in place, keeps the URL
query in step (a wall screen bookmarks its filters) and applies the stream's changes to the
few tiles concerned. Filtered-out tiles are in the page too, hidden, so a filter change needs
no request.
"""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web

from alerting.payload import iso
from monitor.console.auth import require_read
from monitor.console.context import CONSOLE_KEY
from monitor.console.pages.wall import live
from monitor.console.pages.wall.view import (
    Filters,
    departments,
    filter_options,
    visible_counts,
)
from monitor.console.pages.wall.words import WORDS
from monitor.console.render import SECURITY_HEADERS, page, translator

COMPACT_TILES: Final = 120  # more tiles than this: the kiosk grid shrinks healthy tiles


async def wall_page(request: web.Request) -> web.Response:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    snap = live.take_snapshot(ctx, backlog=await live.outbox_backlog(ctx))
    filters = Filters.from_query(request.query)
    depts = departments(ctx.config, snap.shape, snap.tiles)
    shown = {d.key for d in depts if any(filters.matches(tile.app) for tile in d.tiles)}
    now = ctx.now()
    response = page(
        request, "wall/wall.html", title=translator(ctx.lang, WORDS)("wall.title"),
        nav="wall", words=WORDS, depts=depts, counts=visible_counts(depts, filters),
        filters=filters, health=snap.health, stale_s=snap.health.stale_s(now),
        now_ms=round(now * 1000), tz=ctx.tz,
        options=filter_options(ctx.config), incidents=snap.incidents, layout_key=snap.shape.key,
        compact=snap.counts["total"] > COMPACT_TILES,
        shown=shown, any_visible=bool(shown),
        incidents_shown=sum(filters.admits(i.department, i.category, i.tier)
                            for i in snap.incidents))
    # 1,000 tiles are ~240 KiB of very repetitive HTML: ~15 KiB gzipped, for phones on 4G.
    response.enable_compression()
    return response


async def wall_json(request: web.Request) -> web.Response:
    """The same snapshot as data, for scripts and other screens (filters as on the page)."""
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    snap = live.take_snapshot(ctx, backlog=await live.outbox_backlog(ctx))
    filters = Filters.from_query(request.query)
    tz, now = ctx.tz, ctx.now()
    streams = request.app.get(live.LIVE_KEY)
    depts = departments(ctx.config, snap.shape, snap.tiles)
    vitals = snap.health
    body: dict[str, Any] = {
        "generated_at": iso(now, tz),
        "layout": snap.shape.key,
        "counts": visible_counts(depts, filters),  # as the page's header: what the filters show
        "health": {
            "checks": vitals.checks, "probes_in_flight": vitals.in_flight,
            "newest_result_at": iso(vitals.newest_ms / 1000, tz) if vitals.newest_ms else None,
            "stale": vitals.stale_s(now) is not None, "stale_seconds": vitals.stale_s(now),
            "stale_after_seconds": vitals.stale_after_ms / 1000,
            "outbox_backlog": vitals.backlog, "connectivity": vitals.guard,
        },
        "live_streams": streams.open if streams else 0,
        "departments": [{
            "name": d.name, "label": d.label, "counts": d.counts,
            "apps": [{
                "id": tile.app.id, "name": tile.app.name, "category": tile.app.category,
                "tier": tile.app.tier, "status": tile.state.status, "detail": tile.state.detail,
                "since": iso(tile.state.since_ms / 1000, tz) if tile.state.since_ms else None,
                "maintenance": tile.state.maintenance,
            } for tile in d.tiles if filters.matches(tile.app)],
        } for d in depts],
        "incidents": [{
            "id": i.id, "app_id": i.app_id, "app_name": i.app_name, "check_id": i.check_id,
            "check_title": i.check_title,
            "severity": i.severity, "state": i.state, "summary": i.summary,
            "opened_at": iso(i.opened_ms / 1000, tz),
            "response_due": iso(i.response_due_ms / 1000, tz),
            "resolution_due": None if i.resolution_due_ms is None
            else iso(i.resolution_due_ms / 1000, tz),
            "response_due_ms": i.response_due_ms, "resolution_due_ms": i.resolution_due_ms,
            "acknowledged_by": i.acknowledged_by, "response_seconds": i.response_took_s,
            "response_breached": i.response_breached,
            "resolution_breached": i.resolution_breached,
        } for i in snap.incidents if filters.admits(i.department, i.category, i.tier)],
    }
    body["departments"] = [d for d in body["departments"] if d["apps"]]
    return web.json_response(body, dumps=lambda o: json.dumps(o, ensure_ascii=False),
                             headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})


ROUTES: Final = [
    web.get("/", wall_page),
    web.get("/console/wall.json", wall_json),
    *live.ROUTES,
]
