"""POST /api/v1/alertmanager: Alertmanager's webhook (version 4) turned into incidents.

Point an Alertmanager `webhook_configs` receiver at this URL with
`http_config.authorization.credentials` set to one of `service.api_tokens` (or, behind a
proxy that signs bodies, set `alerting.alertmanager.hmac_secret`: the signature covers a
timestamp and the body, and a signed request is taken once, within 5 minutes of its time; see
monitor/api/signedbody.py). An alert for an app that is not configured is answered 422 naming
it (the known ones are still applied): Alertmanager does not retry a 4xx, but counts and logs
it as a failed notification, which is where the person who set the label looks; it is also
counted in appmon_alertmanager_alerts_skipped{reason}. Alertmanager has already
confirmed its alerts, so a firing alert opens an incident at once (source "alertmanager");
a resolved one resolves it.

Alertmanager groups alerts and resends the whole group; several alerts of one group may map
to the same (app, check) when they differ only in labels we do not key on (`instance`, ...).
So alerts are first merged per (app, check): the pair fires while any of its alerts fires, and
only resolves when all of them in the notification have resolved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Final

import structlog
from aiohttp import web

from monitor.api.auth import (
    ACTOR_KEY,
    ApiError,
    bearer_token,
    check_token,
    json_api,
    json_response,
    unauthorized,
)
from monitor.api.jsonbody import parse_json
from monitor.api.signedbody import SIGNATURE_HEADER, TIMESTAMP_HEADER, ReplayGuard
from monitor.api.state import STATE_KEY
from monitor.core.config.model import AlertmanagerConfig, Config

log = structlog.get_logger("api.alertmanager")

CHECK_PREFIX: Final = "am-"  # keeps external checks apart from configured ones in every view
MAX_CHECK_ID_CHARS: Final = 63  # like a DNS label: fits metrics labels and file names
HMAC_ACTOR: Final = "alertmanager-hmac"  # the actor logged for signed (token-less) requests
ALERTMANAGER_MAX_BYTES: Final = 8 * 1024 * 1024
ZERO_TIME_YEAR: Final = 1  # Go's zero time ("0001-01-01T00:00:00Z") means "not set"
# Why an alert opened nothing, as the skipped counter's label.
UNKNOWN_APP: Final = "unknown_app"
NO_LABEL: Final = "no_label"
MALFORMED: Final = "malformed"
# One replay guard per server application (kept beside it, not in it: a started aiohttp
# application must not change state).
_GUARDS: Final[weakref.WeakKeyDictionary[web.Application, ReplayGuard]] = (
    weakref.WeakKeyDictionary())


@dataclass
class _Pair:
    """What one (app, check) amounts to in one notification."""

    app_id: str
    check_id: str
    firing: bool = False
    summary: str = ""
    started_at: float | None = None
    indexes: list[int] = field(default_factory=list)


def check_id_for(value: str) -> str:
    """"am-" + the label lower-cased and reduced to [a-z0-9-]; a label with nothing usable
    left (e.g. all Chinese) gets a stable hash instead, so it still maps to one check."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if not cleaned:
        cleaned = hashlib.sha256(value.encode()).hexdigest()[:12]
    return (CHECK_PREFIX + cleaned)[:MAX_CHECK_ID_CHARS].rstrip("-")


def parse_time(value: object) -> float | None:
    """RFC 3339 as Alertmanager writes it (nanoseconds, 'Z'); None for absent or zero time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        # fromisoformat takes 'Z' and drops digits beyond microseconds (Python 3.11+).
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year <= ZERO_TIME_YEAR:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _authenticate(request: web.Request, raw: bytes, config: Config) -> str:
    """The actor: a bearer token's name, or HMAC_ACTOR for a valid body signature."""
    presented = bearer_token(request)
    if presented is not None:  # wrong tokens count towards the client's lock-out (429)
        return check_token(request, presented, config.service.api_tokens)
    secret = config.alerting.alertmanager.hmac_secret
    if secret and request.headers.get(SIGNATURE_HEADER):
        refused = _guard(request).check(request.headers, raw, secret.reveal())
        if refused is None:
            request[ACTOR_KEY] = HMAC_ACTOR
            return HMAC_ACTOR
        raise unauthorized(f"signed request refused: {refused}")
    raise unauthorized("send Authorization: Bearer <token>" + (
        f" or {TIMESTAMP_HEADER}: <unix time> and {SIGNATURE_HEADER}: sha256=<hmac of "
        "'<unix time>.<body>'>" if secret else ""))


def _guard(request: web.Request) -> ReplayGuard:
    """The app's replay guard (one per server, made on first use)."""
    guard = _GUARDS.get(request.app)
    if guard is None:
        guard = _GUARDS[request.app] = ReplayGuard()
    return guard


def _alerts(raw: bytes) -> list[Any]:
    # Alertmanager resends whole groups: a few thousand alerts fit in this.
    body = parse_json(raw or b"{}", max_bytes=ALERTMANAGER_MAX_BYTES) if raw else None
    if not isinstance(body, dict) or not isinstance(body.get("alerts"), list):
        raise ApiError(400, "bad_request", "expected an Alertmanager webhook body with an "
                       "'alerts' list", field="alerts")
    alerts: list[Any] = body["alerts"]
    return alerts


Skip = tuple[str, str]  # (reason code, reason)


def _read_alert(alert: object, settings: AlertmanagerConfig,
                config: Config) -> tuple[str, str, bool, str, float | None] | Skip:
    """(app, check, firing, summary, started_at), or why the alert is skipped."""
    if not isinstance(alert, dict):
        return MALFORMED, "not an object"
    status = alert.get("status")
    if status not in ("firing", "resolved"):
        return MALFORMED, f"status must be 'firing' or 'resolved', not {status!r}"
    labels = alert.get("labels")
    annotations = alert.get("annotations")
    labels = labels if isinstance(labels, dict) else {}
    annotations = annotations if isinstance(annotations, dict) else {}
    app_id = labels.get(settings.app_label)
    if not isinstance(app_id, str) or not app_id:
        return NO_LABEL, f"no {settings.app_label!r} label"
    if config.app(app_id) is None:
        return UNKNOWN_APP, (f"unknown app {app_id!r}: no app has this id in the "
                             "configuration (ids are lower case)")
    check_value = labels.get(settings.check_label)
    if not isinstance(check_value, str) or not check_value:
        return NO_LABEL, f"no {settings.check_label!r} label"
    summary = next((str(v) for v in (annotations.get("summary"), annotations.get("description"),
                                     labels.get("alertname"), check_value) if v), "")
    return (app_id, check_id_for(check_value), status == "firing", summary.strip(),
            parse_time(alert.get("startsAt")))


def _merge(alerts: list[Any], config: Config
           ) -> tuple[dict[tuple[str, str], _Pair], list[dict[str, Any]]]:
    settings = config.alerting.alertmanager
    pairs: dict[tuple[str, str], _Pair] = {}
    skipped: list[dict[str, Any]] = []
    for index, alert in enumerate(alerts):
        read = _read_alert(alert, settings, config)
        if len(read) == 2:  # skipped: (code, reason)
            code, reason = read
            skipped.append({"index": index, "code": code, "reason": reason})
            continue
        app_id, check_id, firing, summary, started_at = read
        pair = pairs.setdefault((app_id, check_id), _Pair(app_id, check_id))
        pair.indexes.append(index)
        if firing:
            if not pair.firing:
                pair.summary = summary  # the first firing alert speaks for the pair
            pair.firing = True
            if started_at is not None:
                pair.started_at = (started_at if pair.started_at is None
                                   else min(pair.started_at, started_at))
        elif not pair.firing and not pair.summary:
            pair.summary = summary
    return pairs, skipped


@json_api
async def receive(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    config = state.config
    raw = await request.read()
    actor = _authenticate(request, raw, config)  # before parsing: refused bodies are not read
    pairs, skipped = _merge(_alerts(raw), config)
    incidents: list[str] = []
    for pair in pairs.values():
        incident = await state.alerts.external_alert(
            pair.app_id, pair.check_id, firing=pair.firing, summary=pair.summary,
            started_at=pair.started_at if pair.firing else None)
        if incident is not None and incident.id not in incidents:
            incidents.append(incident.id)
    accepted = sum(len(p.indexes) for p in pairs.values())
    log.info("alertmanager_received", actor=actor, accepted=accepted, skipped=len(skipped),
             incidents=incidents)
    for item in skipped:
        log.warning("alertmanager_alert_skipped", actor=actor, **item)
        state.metrics.alerts.alertmanager_skipped.labels(item["code"]).inc()
    body = {"accepted": accepted, "skipped": skipped, "incidents": incidents}
    unknown = sorted({str(item["reason"]) for item in skipped if item["code"] == UNKNOWN_APP})
    if unknown:
        body["error"] = {"code": UNKNOWN_APP, "message": "; ".join(unknown)}
        return json_response(body, status=422)
    return json_response(body)


ROUTES: Final = [web.post("/api/v1/alertmanager", receive)]
