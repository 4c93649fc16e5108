"""The phone acknowledge page: GET /ack/{id}?t=<link token>, POST /ack/{id}.

Notifications carry a signed link (alerting.links). Whoever holds it can acknowledge that one
incident with their name, without an API token: the link token is the capability. Hence:

* a GET only shows; it never changes state (link previews and prefetchers follow GETs);
* the POST must carry the token in its form body, so another site cannot forge the request
  without already knowing the token (no cookies are involved, so there is nothing to ride on);
* pages are `Cache-Control: no-store` and `Referrer-Policy: no-referrer`, so the token stays
  out of caches and out of Referer headers, and a CSP forbids framing and foreign resources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final
from zoneinfo import ZoneInfo

import structlog
from aiohttp import web

from alerting.engine import IncidentResolvedError
from alerting.model import Incident, IncidentState
from alerting.runner import UnknownIncidentError
from monitor.api.auth import text_is_clean, well_formed
from monitor.api.incidents import MAX_NAME_CHARS, MAX_NOTE_CHARS
from monitor.api.state import STATE_KEY, ServiceState
from monitor.core.i18n import text
from monitor.incidentview import incident_view
from monitor.templating import environment

log = structlog.get_logger("api.ackpage")

ACK_LINK_ACTOR: Final = "ack-link"  # the actor logged for acknowledgements made by link

SECURITY_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
}



def _when(ts: float | None, tz: ZoneInfo) -> str:
    """A time as people read it on a phone: local date and time, no offset noise."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M:%S")


def _render(state: ServiceState, status: int, *, mode: str,
            incident: Incident | None = None, token: str = "", error: str = "",
            form: dict[str, str] | None = None) -> web.Response:
    """One template, several modes: form, done, acked, resolved, invalid, malformed,
    not_found."""
    lang = state.language
    tz = ZoneInfo(state.config.service.timezone)
    view: dict[str, Any] | None = None
    if incident is not None:
        shown = incident_view(incident, state.config)
        view = {
            "id": incident.id,
            "app_name": shown.app_name,
            "app_id": incident.app_id,
            "check_id": incident.check_id,
            "check_title": shown.check_title(lang),
            "severity": incident.severity.value,
            "state": incident.state.value,
            "summary": incident.summary,
            "started": _when(incident.started_at, tz),
            "opened": _when(incident.opened_at, tz),
            "response_due": _when(shown.response_due_at, tz),
            "resolution_due": _when(shown.resolution_due_at, tz),
            "response_breached": incident.response_breached,
            "resolution_breached": incident.resolution_breached,
            "acknowledged_by": incident.acknowledged_by,
            "acknowledged": _when(incident.acknowledged_at, tz),
            "resolved": _when(incident.resolved_at, tz),
        }
    html = environment().get_template("ack.html").render(
        lang=lang, t=lambda key, **kw: text(lang, key, **kw), mode=mode, incident=view,
        token=token, error=error, form=form or {}, max_name=MAX_NAME_CHARS,
        max_note=MAX_NOTE_CHARS,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8",
                        headers=SECURITY_HEADERS)


def _mode_for(incident: Incident) -> str:
    if incident.state is IncidentState.RESOLVED:
        return "resolved"
    if incident.acknowledged_at is not None:
        return "acked"
    return "form"


async def _find(state: ServiceState, incident_id: str) -> Incident | None:
    try:
        return await state.alerts.get(incident_id)
    except UnknownIncidentError:
        return None


async def _read_form(request: web.Request) -> dict[str, str] | None:
    """The posted form's text fields; None when the body is not a form or holds text that
    cannot be stored (lone surrogates, undecodable bytes). A link token is checked with
    well_formed first: URL-safe ASCII, never handed to the HMAC comparison otherwise (it
    refuses non-ASCII text with an error)."""
    try:
        form = await request.post()
    except (ValueError, UnicodeError, AssertionError, KeyError):
        return None
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not all(text_is_clean(k) and text_is_clean(v) for k, v in fields.items()):
        return None
    return fields


async def show(request: web.Request) -> web.Response:
    """The incident and, while it is open, the form. Never changes anything."""
    state = request.app[STATE_KEY]
    incident = await _find(state, request.match_info["id"])
    if incident is None:
        return _render(state, 404, mode="not_found")
    token = request.query.get("t", "")
    if not well_formed(token):
        return _render(state, 400, mode="invalid", incident=incident)
    if not state.links.verify(incident.id, token, incident.reopen_count):
        # Details are public through the API anyway; only the form needs the capability.
        return _render(state, 403, mode="invalid", incident=incident)
    return _render(state, 200, mode=_mode_for(incident), incident=incident, token=token)


async def submit(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    incident = await _find(state, request.match_info["id"])
    if incident is None:
        return _render(state, 404, mode="not_found")
    form = await _read_form(request)
    if form is None:
        log.warning("ack_form_malformed", incident=incident.id)
        return _render(state, 400, mode="malformed", incident=incident)
    token = form.get("t", "")
    if not well_formed(token):
        return _render(state, 400, mode="invalid", incident=incident)
    if not state.links.verify(incident.id, token, incident.reopen_count):
        log.warning("ack_link_refused", incident=incident.id, reason="bad or missing link token")
        return _render(state, 403, mode="invalid", incident=incident)
    by = form.get("by", "").strip()
    note = form.get("note", "").strip()
    typed = {"by": by, "note": note}
    if not by or len(by) > MAX_NAME_CHARS or len(note) > MAX_NOTE_CHARS:
        key = "ack.name_required" if not by else "ack.too_long"
        return _render(state, 400, mode=_mode_for(incident), incident=incident, token=token,
                       error=text(state.language, key), form=typed)
    try:
        acked = await state.alerts.acknowledge(incident.id, by, note or None)
    except IncidentResolvedError:
        latest = await _find(state, incident.id) or incident
        return _render(state, 409, mode="resolved", incident=latest)
    except UnknownIncidentError:
        return _render(state, 404, mode="not_found")
    if acked.acknowledged_by != by or incident.acknowledged_at is not None:
        # Someone was quicker: acknowledging twice keeps the first; say who it was.
        return _render(state, 200, mode="acked", incident=acked)
    log.info("ack_link_acknowledged", incident=acked.id, actor=ACK_LINK_ACTOR, by=by)
    return _render(state, 200, mode="done", incident=acked)


ROUTES: Final = [
    web.get("/ack/{id}", show),
    web.post("/ack/{id}", submit),
]
