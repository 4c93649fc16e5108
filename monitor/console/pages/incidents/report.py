"""The console's 登记故障 form: a fault or a service request that a person reported (by phone,
DingTalk, on site...), entered by whoever is on duty.

    GET  /incidents/new      the form (signed in; else the sign-in page, then back here)
    POST /incidents/new      (signed in, CSRF token in `_csrf`) creates the incident through
                             the alert runner and redirects (303) to its page

A form that cannot apply (a field missing or too long, an app no longer configured) shows the
form again with the message and what was typed, and creates nothing. The reporter defaults to
the signed-in name. The route comes before /incidents/{id} (incidents/page.py ROUTES).
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

import structlog
from aiohttp import web

from alerting.model import REPORTABLE_KINDS, Channel, IncidentKind
from alerting.runner import UnknownAppError
from monitor.api.incidents import MAX_NAME_CHARS, MAX_SUMMARY_CHARS
from monitor.console.auth import login_url, require_action, session_of
from monitor.console.context import CONSOLE_KEY
from monitor.console.render import page, translator
from monitor.core.catalog.console_incidents import WORDS

log = structlog.get_logger("console.report")

PATH: Final = "/incidents/new"
CHANNELS: Final = tuple(c.value for c in Channel)
KINDS: Final = tuple(k.value for k in REPORTABLE_KINDS)
FIELDS: Final = ("app", "kind", "channel", "reported_by", "summary")


def _form_page(request: web.Request, typed: dict[str, str], *, error: str | None = None,
               status: int = 200) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    apps = [(a.id, a.name) for a in ctx.config.apps]
    return page(request, "incidents/report.html",
                title=translator(ctx.lang, WORDS)("new.title"), nav="incidents", words=WORDS,
                apps=apps, kinds=KINDS, channels=CHANNELS, typed=typed, error=error,
                max_name=MAX_NAME_CHARS, max_summary=MAX_SUMMARY_CHARS, status=status)


async def form_page(request: web.Request) -> web.Response:
    session = session_of(request)
    if session is None:  # only people signed in may report (and so act)
        raise web.HTTPFound(login_url(request.path_qs))
    app = request.query.get("app", "")
    typed = {"app": app, "kind": IncidentKind.OUTAGE.value, "channel": Channel.PHONE.value,
             "reported_by": session.user, "summary": ""}
    return _form_page(request, typed)


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _problem(typed: dict[str, str], app_ids: set[str]) -> str | None:
    """The catalog key of what is wrong with the form, or None."""
    if typed["app"] not in app_ids:
        return "new.error.app"
    if typed["kind"] not in KINDS:
        return "new.error.kind"
    if typed["channel"] not in CHANNELS:
        return "new.error.channel"
    if not typed["reported_by"]:
        return "new.error.reporter"
    if not typed["summary"]:
        return "new.error.summary"
    if len(typed["reported_by"]) > MAX_NAME_CHARS or len(typed["summary"]) > MAX_SUMMARY_CHARS:
        return "new.error.too_long"
    return None


async def submit(request: web.Request) -> web.Response:
    """Sign-in and CSRF first (nothing is read before), then the fields, then create."""
    session, form = await require_action(request)
    ctx = request.app[CONSOLE_KEY]
    typed = {name: _text(form, name) for name in FIELDS}
    typed["summary"] = " ".join(typed["summary"].split())  # one line: the incident's title
    error = _problem(typed, {a.id for a in ctx.config.apps})
    if error is not None:
        return _form_page(request, typed, error=error, status=400)
    try:
        incident = await ctx.alerts.report_incident(
            typed["app"], summary=typed["summary"], reported_by=typed["reported_by"],
            channel=typed["channel"], kind=IncidentKind(typed["kind"]))
    except UnknownAppError:  # the config was reloaded without it meanwhile
        return _form_page(request, typed, error="new.error.app", status=400)
    log.info("console_incident_reported", incident=incident.id, app=incident.app_id,
             kind=incident.kind, channel=incident.channel, actor=session.actor,
             by=session.user)
    raise web.HTTPSeeOther(f"/incidents/{quote(incident.id, safe='')}")


ROUTES: Final[list[web.RouteDef]] = [
    web.get(PATH, form_page),
    web.post(PATH, submit),
]
