"""Console incident pages: the filtered list, the detail, and the three forms acting on it.

    GET  /incidents?state=&app=&department=&month=YYYY-MM
    GET  /incidents/{id}[?done=ack|note|resolve]
    POST /incidents/{id}/ack | /note | /resolve      (signed in, CSRF token in `_csrf`)

A form that worked redirects (303) to the detail page with `?done=<action>`, so a reload
never posts twice; one that cannot apply (too long, missing cause, already resolved) shows
the detail page again with the message and what was typed, and changes nothing.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

import structlog
from aiohttp import web

from alerting.engine import IncidentResolvedError
from alerting.model import Incident, IncidentKind, IncidentState
from alerting.runner import CheckStillFailingError, UnknownIncidentError
from monitor.api.incidents import MAX_NOTE_CHARS
from monitor.console.auth import require_action, require_read
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.pages.apps.view import CheckRow, check_row
from monitor.console.pages.incidents import report
from monitor.console.pages.incidents.filters import (
    KINDS,
    departments,
    matches,
    month_bounds,
    parse_filters,
)
from monitor.console.pages.incidents.view import incident_detail, incident_row
from monitor.console.pages.incidents.words import WORDS
from monitor.console.render import page, translator
from monitor.reports.reading import incidents_since

log = structlog.get_logger("console.incidents")

# Rows read and shown at most: the store lists newest first, so past this the page says the
# older ones are left out (a department filter is applied after reading).
LIST_LIMIT: Final = 500
DONE: Final = ("ack", "note", "resolve")
NOTHING_TYPED: Final = {"action": "", "note": "", "cause": ""}


def _t(ctx: ConsoleContext) -> Any:
    return translator(ctx.lang, WORDS)


async def _read(ctx: ConsoleContext, state: IncidentState | None, app_id: str,
                month: str) -> list[Incident]:
    if month:
        start, end = month_bounds(month, ctx.tz)
        return [i for i in await incidents_since(ctx.store, start) if i.opened_at < end]
    return await ctx.store.list_incidents(state, limit=LIST_LIMIT + 1, app_id=app_id or None)


async def list_page(request: web.Request) -> web.Response:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    filters, errors = parse_filters(request.query)
    state = IncidentState(filters.state) if filters.state else None
    read = await _read(ctx, state, filters.app, filters.month)
    found = [i for i in read if matches(i, filters, ctx.config, ctx.tz)]
    rows = [incident_row(i, ctx.config, ctx.tz, ctx.lang) for i in found[:LIST_LIMIT]]
    apps = sorted(((a.id, a.name) for a in ctx.config.apps), key=lambda pair: pair[0])
    return page(request, "incidents/incidents.html", title=_t(ctx)("incidents.title"),
                nav="incidents", words=WORDS, rows=rows, filters=filters, errors=errors,
                capped=len(read) > LIST_LIMIT, limit=LIST_LIMIT, apps=apps,
                departments=departments(ctx.config), states=[s.value for s in IncidentState],
                kinds=list(KINDS),
                status=400 if errors else 200)


async def _family(ctx: ConsoleContext, incident: Incident) -> dict[str, Incident]:
    """The records of a correlated outage's children, or of a child's parent, by id; one that
    cannot be read (pruned, never stored) is left out and shown without its state."""
    ids = [c.id for c in incident.children]
    if incident.parent_id:
        ids.append(incident.parent_id)
    found: dict[str, Incident] = {}
    for incident_id in ids:
        try:
            found[incident_id] = await ctx.alerts.get(incident_id)
        except UnknownIncidentError:
            continue
    return found


async def _detail(request: web.Request, incident: Incident, *, status: int = 200,
                  error: str | None = None, typed: dict[str, str] | None = None) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    deliveries = await ctx.store.deliveries_for(incident.id)
    view = incident_detail(incident, deliveries, ctx.config, ctx.tz, ctx.lang,
                           family=await _family(ctx, incident))
    done = request.query.get("done", "")
    return page(request, "incidents/incident.html",
                title=f"{_t(ctx)('incident.title')} · {_name(ctx, incident)}", nav="incidents",
                words=WORDS, view=view, done=done if done in DONE else "", error=error,
                still_failing=ctx.alerts.still_failing(incident),
                check_now=check_now(ctx, incident),
                typed=typed or dict(NOTHING_TYPED), max_chars=MAX_NOTE_CHARS, status=status)


def check_now(ctx: ConsoleContext, incident: Incident) -> CheckRow | None:
    """The incident's check as it stands (for the resolve form); None without a check of
    its own (a correlated outage, a reported incident, a check no longer configured)."""
    app = ctx.config.app(incident.app_id)
    check = next((c for c in app.checks if c.id == incident.check_id), None) if app else None
    if check is None:
        return None
    return check_row(check, ctx.ledger.check_state(incident.app_id, incident.check_id), ctx.tz,
                     ctx.lang)


def _name(ctx: ConsoleContext, incident: Incident) -> str:
    """What the page title calls the incident: its app, or for a correlated outage (which has
    no app of its own) its kind and how many apps."""
    if incident.kind == IncidentKind.CORRELATED:
        return str(_t(ctx)("family.title", n=len(incident.children)))
    return incident.app_name


def _not_found(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    return page(request, "incidents/incident.html", title=_t(ctx)("notfound.incident"),
                nav="incidents", words=WORDS, view=None, done="", error=None, still_failing=None,
                check_now=None, typed=dict(NOTHING_TYPED), max_chars=MAX_NOTE_CHARS, status=404)


async def detail_page(request: web.Request) -> web.Response:
    require_read(request)
    try:
        incident = await request.app[CONSOLE_KEY].alerts.get(request.match_info["id"])
    except UnknownIncidentError:
        return _not_found(request)
    return await _detail(request, incident)


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _too_long(*values: str) -> bool:
    return any(len(v) > MAX_NOTE_CHARS for v in values)


async def act(request: web.Request) -> web.Response:
    """The three forms: check sign-in and CSRF first, then the fields, then act."""
    session, form = await require_action(request)
    ctx = request.app[CONSOLE_KEY]
    action = request.match_info["action"]
    try:
        incident = await ctx.alerts.get(request.match_info["id"])
    except UnknownIncidentError:
        return _not_found(request)
    note, cause = _text(form, "note"), _text(form, "cause")
    typed = {"action": action, "note": note, "cause": cause}
    if action == "note" and form.get("section") == "direct_cause":
        # The cause filled in after the fact (a recovery resolved it): a note whose first
        # line carries the direct-cause prefix, which the analysis report reads.
        typed = {"action": "cause_after", "note": "", "cause": cause}
        if not cause:
            return await _detail(request, incident, status=400, error="error.cause_required",
                                 typed=typed)
        note = _t(ctx)("cause_after.note", cause=cause)
    if _too_long(note, cause):
        return await _detail(request, incident, status=400, error="error.too_long", typed=typed)
    if action == "note" and not note:
        return await _detail(request, incident, status=400, error="error.note_required",
                             typed=typed)
    if action == "resolve" and not cause:
        return await _detail(request, incident, status=400, error="error.cause_required",
                             typed=typed)
    if action != "note" and incident.state is IncidentState.RESOLVED:
        return await _detail(request, incident, status=409, error="error.resolved", typed=typed)
    force = form.get("force") == "yes"
    if action == "resolve" and not force and ctx.alerts.still_failing(incident) is not None:
        return await _detail(request, incident, status=409, error="error.still_failing",
                             typed=typed)
    try:
        if action == "ack":
            await ctx.alerts.acknowledge(incident.id, session.user, note or None)
        elif action == "note":
            await ctx.alerts.add_note(incident.id, session.user, note)
        else:
            await ctx.alerts.resolve(incident.id, session.user, cause, note or None, force=force)
    except CheckStillFailingError:  # it failed again between our read and the action
        return await _detail(request, incident, status=409, error="error.still_failing",
                             typed=typed)
    except IncidentResolvedError:  # resolved by recovery between our read and the action
        incident = await ctx.alerts.get(incident.id)
        return await _detail(request, incident, status=409, error="error.resolved", typed=typed)
    log.info("console_incident_action", incident=incident.id, action=action,
             actor=session.actor, by=session.user)
    raise web.HTTPSeeOther(f"/incidents/{quote(incident.id, safe='')}?done={action}")


ROUTES: Final[list[web.RouteDef]] = [
    web.get("/incidents", list_page),
    *report.ROUTES,  # /incidents/new (登记故障): before /incidents/{id}
    web.get("/incidents/{id}", detail_page),
    web.post(r"/incidents/{id}/{action:ack|note|resolve}", act),
]
