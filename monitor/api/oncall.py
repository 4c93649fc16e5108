"""The duty rota over HTTP (CONTRACT.md §3).

    GET  /api/v1/oncall                    who is on duty now and next, per rotation
    POST /api/v1/oncall/{id}/overrides     (token) a swap: {"member", "start", "end", "note"?}
    GET  /api/v1/oncall/{id}.ics           the rota as an iCalendar feed to subscribe to

Reading needs no token; mobiles are then masked (138****0011), whole with a valid token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final
from zoneinfo import ZoneInfo

import icalendar
from aiohttp import web

from alerting.oncall import masked_mobile, shift_json
from alerting.rota import Override, Rota
from monitor.api.auth import (
    ApiError,
    bearer_token,
    json_api,
    json_response,
    require_token,
    token_name,
)
from monitor.api.jsonbody import read_json
from monitor.api.state import STATE_KEY, ServiceState
from monitor.core.config.windows import parse_moment

FEED_PAST_DAYS: Final = 14  # the calendar shows this far back...
FEED_AHEAD_DAYS: Final = 56  # ...and this far ahead
MAX_NOTE_CHARS: Final = 500


def _reveal(request: web.Request, state: ServiceState) -> bool:
    """Whole mobiles for a caller with a valid token (a wrong one just reads masked)."""
    presented = bearer_token(request)
    return presented is not None and token_name(
        presented, state.config.service.api_tokens) is not None


@json_api
async def status(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    reveal = _reveal(request, state)
    tz = ZoneInfo(state.config.service.timezone)
    board = state.alerts.oncall
    rotations = [
        {"id": item.rotation.id, "name": item.rotation.title,
         "now": shift_json(item.now, tz, reveal=reveal),
         "next": shift_json(item.next, tz, reveal=reveal)}
        for item in board.status(state.alerts.clock_now())
    ]
    return json_response({"rotations": rotations})


def _rota(state: ServiceState, rotation_id: str) -> Rota:
    rota = state.alerts.oncall.rota(rotation_id)
    if rota is None:
        raise ApiError(404, "not_found", f"no rotation with id {rotation_id!r}")
    return rota


def _moment(body: dict[str, Any], key: str, tz: ZoneInfo) -> float:
    value = body.get(key)
    if not isinstance(value, str):
        raise ApiError(400, "bad_request", f"{key}: an ISO 8601 time is required", field=key)
    try:
        moment = parse_moment(value)
    except ValueError:
        raise ApiError(400, "bad_request", f"{key}: not an ISO 8601 time, e.g. "
                       "2026-12-24T09:00:00+08:00", field=key) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.timestamp()


@json_api
async def add_override(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    actor = require_token(request, state.config.service.api_tokens)
    rota = _rota(state, request.match_info["id"])
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "expected a JSON object")
    member = body.get("member")
    names = [m.name for m in rota.rotation.members]
    if member not in names:
        raise ApiError(400, "bad_request", f"member: one of {names}", field="member")
    tz = rota.tz
    start, end = _moment(body, "start", tz), _moment(body, "end", tz)
    if end <= start:
        raise ApiError(400, "bad_request", "end must be after start", field="end")
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE_CHARS):
        raise ApiError(400, "bad_request", f"note: text of at most {MAX_NOTE_CHARS} characters",
                       field="note")
    by = body.get("by") if isinstance(body.get("by"), str) and body.get("by") else actor
    override = Override(str(member), start, end, by=str(by), note=note)
    await state.alerts.oncall.add_override(rota.rotation.id, override)
    iso = _iso(tz)
    return json_response({"rotation": rota.rotation.id, "override": {
        "member": override.member, "start": iso(start), "end": iso(end), "by": override.by,
        "note": override.note}}, status=201)


def _iso(tz: ZoneInfo) -> Any:
    return lambda ts: dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


async def calendar(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    rotation_id = request.match_info["id"]
    rota = state.alerts.oncall.rota(rotation_id)
    if rota is None:
        return json_response({"error": {"code": "not_found",
                                        "message": f"no rotation with id {rotation_id!r}"}},
                             status=404)
    reveal = _reveal(request, state)
    body = feed(rota, state.alerts.clock_now(), reveal=reveal)
    return web.Response(body=body, content_type="text/calendar", charset="utf-8", headers={
        "Content-Disposition": f'inline; filename="{rotation_id}.ics"'})


def feed(rota: Rota, now: float, *, reveal: bool) -> bytes:
    """Every stint from FEED_PAST_DAYS ago to FEED_AHEAD_DAYS ahead, one event each."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//appmon//oncall//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", rota.rotation.title)
    start, end = now - FEED_PAST_DAYS * 86400, now + FEED_AHEAD_DAYS * 86400
    current = rota.on_duty(start)
    stints = ([current] if current else []) + [after for _, _, after in
                                               rota.handovers(start, end)]
    for shift in stints:
        member = shift.member
        event = icalendar.Event()
        event.add("uid", f"{rota.rotation.id}-{int(shift.since)}@appmon")
        event.add("summary", f"{rota.rotation.title}: {member.name}")
        event.add("dtstart", dt.datetime.fromtimestamp(shift.since, rota.tz))
        event.add("dtend", dt.datetime.fromtimestamp(shift.until, rota.tz))
        event.add("dtstamp", dt.datetime.fromtimestamp(now, dt.UTC))
        mobile = member.mobile if reveal else masked_mobile(member.mobile)
        if mobile:
            event.add("description", mobile)
        cal.add_component(event)
    return bytes(cal.to_ical())


ROUTES: Final = [
    web.get("/api/v1/oncall", status),
    web.post("/api/v1/oncall/{id}/overrides", add_override),
    web.get("/api/v1/oncall/{id}.ics", calendar),
]
