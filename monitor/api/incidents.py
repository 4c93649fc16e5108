"""The incident API of CONTRACT.md §3: list, read, report, acknowledge, resolve, annotate.

Reading is open; every POST first checks the bearer token (monitor.api.auth), then the body,
and only then asks the alert runner to act, so a refused request changes nothing. All state
changes go through AlertRunner, which serialises them with probe results and the SLA clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

import structlog
from aiohttp import web

from alerting.engine import IncidentResolvedError
from alerting.model import REPORTABLE_KINDS, Channel, Incident, IncidentKind, IncidentState
from alerting.payload import incident_json, iso
from alerting.runner import (
    AlertRunner,
    CheckStillFailingError,
    UnknownAppError,
    UnknownIncidentError,
)
from alerting.store import DeliveryRecord
from monitor.api.auth import ApiError, json_api, json_response, require_token
from monitor.api.jsonbody import read_json
from monitor.api.state import STATE_KEY, ServiceState

log = structlog.get_logger("api.incidents")

# Limits on what people type: a name is a name, a note a few paragraphs. They keep one
# careless paste from bloating every later notification and report that quotes the timeline.
MAX_NAME_CHARS: Final = 100
MAX_NOTE_CHARS: Final = 4000
# A reported fault's summary is its one-line title in every message and list.
MAX_SUMMARY_CHARS: Final = 500
MAX_APP_ID_CHARS: Final = 200
CHANNELS: Final = tuple(c.value for c in Channel)
REPORT_KINDS: Final = tuple(k.value for k in REPORTABLE_KINDS)

STATES: Final = tuple(s.value for s in IncidentState)
KINDS: Final = tuple(k.value for k in IncidentKind)


def _tz(state: ServiceState) -> ZoneInfo:
    return ZoneInfo(state.config.service.timezone)


def _bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, "bad_request", message, field=field)


def _not_found(incident_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no incident with id {incident_id!r}")


async def read_body(request: web.Request) -> dict[str, Any]:
    """The JSON object in the body (monitor.api.jsonbody: bounded, strict); 400 otherwise."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool, limit: int) -> str | None:
    """A string field, stripped; missing/empty is None unless required (then 400 naming it)."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise _bad_request(f"field {name!r} must be a string", name)
    value = (value or "").strip()
    if not value:
        if required:
            raise _bad_request(f"field {name!r} is required", name)
        return None
    if len(value) > limit:
        raise _bad_request(f"field {name!r} is longer than {limit} characters", name)
    return value


def delivery_json(record: DeliveryRecord, tz: ZoneInfo) -> dict[str, Any]:
    delivery = record.delivery
    return {
        "id": delivery.id,
        "notifier": delivery.notifier_id,
        "target": delivery.target,
        "event": delivery.event,
        "step": delivery.step,
        "state": record.state.value,
        "attempts": record.attempts,
        "last_error": record.last_error,
        "sent_at": iso(record.sent_at, tz),
    }


@json_api
async def list_incidents(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    wanted = request.query.get("state")
    if wanted is not None and wanted not in STATES:
        raise _bad_request(f"state must be one of {', '.join(STATES)} (or absent for all)",
                           "state")
    kind = request.query.get("kind")
    if kind is not None and kind not in KINDS:
        raise _bad_request(f"kind must be one of {', '.join(KINDS)} (or absent for all)", "kind")
    incidents = await state.alerts.list_incidents(
        IncidentState(wanted) if wanted is not None else None)
    if kind is not None:
        incidents = [incident for incident in incidents if incident.kind == kind]
    tz = _tz(state)
    return json_response({"incidents": [incident_json(i, tz) for i in incidents]})


@json_api
async def get_incident(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    incident = await _get(state, request.match_info["id"])
    return await _detail(state, incident)


Fields = dict[str, str | None]
Act = Callable[[AlertRunner, str, str, Fields, bool], Awaitable[Incident]]


async def _act(request: web.Request, *, required: tuple[str, ...] = (),
               optional: tuple[str, ...] = (), act: Act, event: str) -> web.Response:
    """What every state-changing POST does: the token first (a refused request changes
    nothing), then `by` and the text fields, then the runner's action on the incident."""
    state = request.app[STATE_KEY]
    actor = require_token(request, state.config.service.api_tokens)
    body = await read_body(request)
    by = text_field(body, "by", required=True, limit=MAX_NAME_CHARS)
    assert by is not None
    fields = {name: text_field(body, name, required=name in required, limit=MAX_NOTE_CHARS)
              for name in (*required, *optional)}
    force = body.get("force", False)
    if not isinstance(force, bool):
        raise _bad_request("field 'force' must be true or false", "force")
    incident_id = request.match_info["id"]
    try:
        incident = await act(state.alerts, incident_id, by, fields, force)
    except UnknownIncidentError as exc:
        raise _not_found(incident_id) from exc
    except IncidentResolvedError as exc:
        raise ApiError(409, "conflict",
                       f"incident {incident_id!r} is already resolved") from exc
    except CheckStillFailingError as exc:
        raise ApiError(
            409, "check_failing",
            f"the check is still failing ({exc.failure}); it would reopen at its next failed "
            'run. Send "force": true to resolve it anyway',
        ) from exc
    log.info(event, incident=incident_id, actor=actor, by=by)
    return await _detail(state, incident)


@json_api
async def acknowledge(request: web.Request) -> web.Response:
    return await _act(request, optional=("note",), event="api_incident_acknowledged",
                      act=lambda alerts, i, by, f, _: alerts.acknowledge(i, by, f["note"]))


@json_api
async def resolve(request: web.Request) -> web.Response:
    return await _act(request, optional=("cause", "note"), event="api_incident_resolved",
                      act=lambda alerts, i, by, f, force: alerts.resolve(
                          i, by, f["cause"], f["note"], force=force))


@json_api
async def add_note(request: web.Request) -> web.Response:
    return await _act(request, required=("note",), event="api_incident_noted",
                      act=lambda alerts, i, by, f, _: alerts.add_note(i, by, f["note"] or ""))


def _required(body: dict[str, Any], name: str, limit: int) -> str:
    return text_field(body, name, required=True, limit=limit) or ""


def choice_field(body: dict[str, Any], name: str, choices: tuple[str, ...]) -> str:
    """A required field whose value is one of `choices`; 400 naming it otherwise."""
    value = body.get(name)
    if value not in choices:
        raise _bad_request(f"field {name!r} must be one of {', '.join(choices)}", name)
    assert isinstance(value, str)
    return value


@json_api
async def report(request: web.Request) -> web.Response:
    """POST /api/v1/incidents: a fault or a service request reported by a person. 201 with
    the new INCIDENT (source "reported"); 400 naming the field; 404 for an unknown app."""
    state = request.app[STATE_KEY]
    actor = require_token(request, state.config.service.api_tokens)
    body = await read_body(request)
    app_id = _required(body, "app_id", MAX_APP_ID_CHARS)
    # One line: the summary is the incident's title everywhere.
    summary = " ".join(_required(body, "summary", MAX_SUMMARY_CHARS).split())
    reported_by = _required(body, "reported_by", MAX_NAME_CHARS)
    channel = choice_field(body, "channel", CHANNELS)
    kind = choice_field(body, "kind", REPORT_KINDS)
    try:
        incident = await state.alerts.report_incident(
            app_id, summary=summary, reported_by=reported_by, channel=channel,
            kind=IncidentKind(kind))
    except UnknownAppError as exc:
        raise ApiError(404, "not_found", f"no app with id {app_id!r}", field="app_id") from exc
    log.info("api_incident_reported", incident=incident.id, app=app_id, actor=actor,
             kind=kind, channel=channel)
    response = await _detail(state, incident)
    response.set_status(201)
    response.headers["Location"] = f"/api/v1/incidents/{quote(incident.id, safe='')}"
    return response


async def _get(state: ServiceState, incident_id: str) -> Incident:
    try:
        return await state.alerts.get(incident_id)
    except UnknownIncidentError as exc:
        raise _not_found(incident_id) from exc


async def _detail(state: ServiceState, incident: Incident) -> web.Response:
    """INCIDENT with its timeline and, as an extension, its notification deliveries."""
    tz = _tz(state)
    body = incident_json(incident, tz, timeline=True)
    body["deliveries"] = [delivery_json(r, tz)
                          for r in await state.store.deliveries_for(incident.id)]
    return json_response(body)


ROUTES: Final = [
    web.get("/api/v1/incidents", list_incidents),
    web.post("/api/v1/incidents", report),
    web.get("/api/v1/incidents/{id}", get_incident),
    web.post("/api/v1/incidents/{id}/ack", acknowledge),
    web.post("/api/v1/incidents/{id}/resolve", resolve),
    web.post("/api/v1/incidents/{id}/notes", add_note),
]
