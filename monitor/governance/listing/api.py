"""The listing API: statuses and rectification items (read open), progress notes (token).

    GET  /api/v1/listing                        -> {"apps": [{app_id, name, status, since,
                                                    last_change, open_items}]}
    GET  /api/v1/rectifications?state=open|done|all&app=ID   -> {"items": [ITEM]}  (default open)
    GET  /api/v1/rectifications/{id}            -> ITEM
    POST /api/v1/rectifications/{id}/progress   (bearer token)
         {"note": "已完成推广", "by": "张三", "done": false}  -> ITEM
ITEM is monitor.governance.listing.jsonview.item_json: state open | overdue | done, deadline,
progress.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

import structlog
from aiohttp import web

from monitor.api.auth import ApiError, json_api, json_response, require_token
from monitor.api.incidents import MAX_NAME_CHARS, MAX_NOTE_CHARS, read_body, text_field
from monitor.governance.listing.component import ListingPart
from monitor.governance.listing.jsonview import item_json, status_json
from monitor.governance.listing.lifecycle import ListingError, add_progress
from monitor.governance.listing.model import OPEN

log = structlog.get_logger("api.listing")

LISTING_KEY: Final = web.AppKey("listing", ListingPart)
_STATES: Final = ("open", "done", "all")


def install_listing_routes(app: web.Application, part: ListingPart) -> None:
    app[LISTING_KEY] = part
    app.router.add_get("/api/v1/listing", list_statuses)
    app.router.add_get("/api/v1/rectifications", list_items)
    app.router.add_get("/api/v1/rectifications/{id}", get_item)
    app.router.add_post("/api/v1/rectifications/{id}/progress", post_progress)


def _clock(part: ListingPart) -> tuple[ZoneInfo, dt.date]:
    tz = ZoneInfo(part.config().service.timezone)
    return tz, dt.datetime.fromtimestamp(part.clock.now(), tz).date()


@json_api
async def list_statuses(request: web.Request) -> web.Response:
    part = request.app[LISTING_KEY]
    config = part.config()
    statuses = await part.store.statuses(config.apps)
    open_items: dict[str, int] = {}
    for item in await part.store.items(open_only=True):
        open_items[item.app_id] = open_items.get(item.app_id, 0) + 1
    tz, _ = _clock(part)
    return json_response({"apps": [
        {"name": app.name, **status_json(statuses[app.id], tz),
         "open_items": open_items.get(app.id, 0)} for app in config.apps]})


@json_api
async def list_items(request: web.Request) -> web.Response:
    part = request.app[LISTING_KEY]
    wanted = request.query.get("state", OPEN)
    if wanted not in _STATES:
        raise ApiError(400, "bad_request", f"state must be one of {', '.join(_STATES)}",
                       field="state")
    items = await part.store.items(open_only=wanted == OPEN, app_id=request.query.get("app"))
    if wanted == "done":
        items = [i for i in items if i.state == "done"]
    tz, today = _clock(part)
    return json_response({"items": [item_json(i, tz, today) for i in items]})


@json_api
async def get_item(request: web.Request) -> web.Response:
    part = request.app[LISTING_KEY]
    item = await part.store.item(request.match_info["id"])
    if item is None:
        raise ApiError(404, "not_found", f"no rectification item {request.match_info['id']!r}")
    tz, today = _clock(part)
    return json_response(item_json(item, tz, today))


@json_api
async def post_progress(request: web.Request) -> web.Response:
    part = request.app[LISTING_KEY]
    actor = require_token(request, part.config().service.api_tokens)
    body = await read_body(request)
    note = text_field(body, "note", required=True, limit=MAX_NOTE_CHARS)
    by = text_field(body, "by", required=False, limit=MAX_NAME_CHARS) or actor
    done = body.get("done", False)
    if not isinstance(done, bool):
        raise ApiError(400, "bad_request", "field 'done' must be true or false", field="done")
    item_id = request.match_info["id"]
    if await part.store.item(item_id) is None:
        raise ApiError(404, "not_found", f"no rectification item {item_id!r}")
    try:
        item = await add_progress(part.store, item_id, by=by, note=note or "", done=done,
                                  now=part.clock.now())
    except ListingError as exc:
        raise ApiError(409, "conflict", exc.text(part.config().service.language)) from exc
    log.info("api_rectification_progress", item=item_id, actor=actor, done=done)
    tz, today = _clock(part)
    return json_response(item_json(item, tz, today))
