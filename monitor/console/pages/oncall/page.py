"""Console duty-rota page: who is on duty now and next, the shifts ahead, swaps.

    GET  /oncall[?saved=<rotation id>]
    POST /oncall/{id}/overrides     (signed in, CSRF token in `_csrf`)
         member, start, end (datetime-local, the rotation's zone), note

A swap that worked redirects (303) to /oncall?saved=<id>, so a reload never posts twice; a
refused one shows the page again (400, 404) with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import structlog
from aiohttp import web

from alerting.oncall import masked_mobile
from alerting.rota import Override, Rota, Shift
from monitor.console.auth import require_action, require_read, session_of
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.render import page, translator
from monitor.core.catalog.console_oncall import WORDS
from monitor.core.config.windows import parse_moment

log = structlog.get_logger("console.oncall")

CALENDAR_DAYS: Final = 28
MAX_NOTE_CHARS: Final = 500


@dataclass(frozen=True, slots=True)
class ShiftRow:
    name: str
    mobile: str
    since: str
    until: str
    override: bool


@dataclass(frozen=True, slots=True)
class RotationView:
    id: str
    title: str
    turn: str
    now: ShiftRow | None
    next: ShiftRow | None
    shifts: tuple[ShiftRow, ...]
    members: tuple[str, ...]


def _when(ts: float, tz: Any) -> str:
    return dt.datetime.fromtimestamp(ts, tz).strftime("%m-%d %H:%M")


def _row(shift: Shift | None, tz: Any, *, reveal: bool) -> ShiftRow | None:
    if shift is None:
        return None
    mobile = shift.member.mobile if reveal else masked_mobile(shift.member.mobile)
    return ShiftRow(shift.member.name, mobile or "", _when(shift.since, tz),
                    _when(shift.until, tz), shift.override)


def rotation_view(rota: Rota, now: float, lang: str, *, reveal: bool) -> RotationView:
    t = translator(lang, WORDS)
    tz = rota.tz
    current = rota.on_duty(now)
    upcoming = [after for _, _, after in rota.handovers(now, now + CALENDAR_DAYS * 86400)]
    shifts = ([current] if current else []) + upcoming
    rotation = rota.rotation
    return RotationView(
        id=rotation.id, title=rotation.title,
        turn=t(f"oncall.turn.{rotation.turn}", time=rotation.handover),
        now=_row(current, tz, reveal=reveal), next=_row(rota.next_after(now), tz, reveal=reveal),
        shifts=tuple(r for s in shifts if (r := _row(s, tz, reveal=reveal)) is not None),
        members=tuple(m.name for m in rotation.members))


async def _render(request: web.Request, *, status: int = 200, saved: str = "",
                  error: tuple[str, str] | None = None) -> web.Response:
    ctx: ConsoleContext = request.app[CONSOLE_KEY]
    board = ctx.alerts.oncall
    now = ctx.now()
    reveal = session_of(request) is not None  # signed-in people see whole mobiles
    views = []
    for rotation in ctx.config.oncall:
        rota = board.rota(rotation.id)
        if rota is not None:
            views.append(rotation_view(rota, now, ctx.lang, reveal=reveal))
    t = translator(ctx.lang, WORDS)
    return page(request, "oncall/oncall.html", title=t("oncall.title"), nav="oncall",
                words=WORDS, rotations=views, saved=saved, error=error, days=CALENDAR_DAYS,
                max_chars=MAX_NOTE_CHARS, status=status)


async def oncall_page(request: web.Request) -> web.Response:
    require_read(request)
    return await _render(request, saved=request.query.get("saved", "").strip())


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _moment(text: str, rota: Rota) -> float | None:
    try:
        moment = parse_moment(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=rota.tz)
    return moment.timestamp()


async def add_swap(request: web.Request) -> web.Response:
    session, form = await require_action(request)
    ctx: ConsoleContext = request.app[CONSOLE_KEY]
    rotation_id = request.match_info["id"]
    rota = ctx.alerts.oncall.rota(rotation_id)
    if rota is None:
        return await _render(request, status=404, error=(rotation_id, "oncall.error.unknown"))
    member = _text(form, "member")
    if member not in (m.name for m in rota.rotation.members):
        return await _render(request, status=400, error=(rotation_id, "oncall.error.member"))
    start, end = _moment(_text(form, "start"), rota), _moment(_text(form, "end"), rota)
    if start is None or end is None or end <= start:
        return await _render(request, status=400, error=(rotation_id, "oncall.error.time"))
    note = _text(form, "note")[:MAX_NOTE_CHARS] or None
    await ctx.alerts.oncall.add_override(
        rotation_id, Override(member, start, end, by=session.user, note=note))
    log.info("console_oncall_swap", rotation=rotation_id, member=member, by=session.user,
             actor=session.actor)
    raise web.HTTPSeeOther(f"/oncall?saved={quote(rotation_id, safe='')}")


ROUTES: Final[list[web.RouteDef]] = [
    web.get("/oncall", oncall_page),
    web.post("/oncall/{id}/overrides", add_swap),
]
