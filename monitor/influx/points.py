"""Results, incidents and traffic as lines of the schema in lines.py."""

from __future__ import annotations

from alerting.model import Incident, IncidentState
from monitor.core.config.model import AppConfig, CheckConfig
from monitor.influx.lines import INCIDENT, PROBE, TRAFFIC, Series
from probes.base import ProbeResult


def app_tags(app: AppConfig | None, app_id: str, app_name: str = "") -> dict[str, str]:
    if app is None:
        return {"app": app_id, "app_name": app_name or app_id}
    return {"app": app.id, "app_name": app.name, "department": app.department,
            "category": app.category, "tier": str(app.tier)}


def probe_series(app: AppConfig, check: CheckConfig) -> Series:
    return Series.of(PROBE, {**app_tags(app, app.id), "check": check.id, "kind": check.kind})


def probe_line(series: Series, result: ProbeResult, *, maintenance: bool = False) -> str:
    """One probe result. `maintenance`: the run falls in an hour the monthly report leaves
    out (monitor/influx/maintenance.py): tagged maintenance=1."""
    t = result.timings
    # An `unknown` run has no `up` at all: mean("up") (availability on the wall) leaves it
    # out as no data, as every other availability figure does.
    fields: dict[str, object] = {
        "up": None if result.unknown else int(result.ok),
        "unknown": 1 if result.unknown else None,
        "latency_s": t.total_s, "dns_s": t.dns_s,
        "connect_s": t.connect_s, "tls_s": t.tls_s, "first_byte_s": t.first_byte_s,
        "status_code": result.status_code, "cert_days_left": result.cert_days_left,
        "error": None if result.ok else result.message,
    }
    extra: dict[str, str] = {} if result.ok or result.error_kind is None \
        else {"error_kind": str(result.error_kind)}
    if maintenance:
        extra["maintenance"] = "1"
    return series.line(fields, round(result.started_at * 1000), extra or None)


def incident_line(incident: Incident, app: AppConfig | None, *, response_s: float,
                  resolution_s: float, at: float) -> str:
    """The incident as it stands at `at` (the time of the change)."""
    tags = {**app_tags(app, incident.app_id, incident.app_name), "check": incident.check_id,
            "severity": incident.severity.value, "incident": incident.id,
            "kind": incident.kind}
    fields: dict[str, object] = {
        "state": incident.state.value,
        "open": int(incident.state is not IncidentState.RESOLVED),
        "acknowledged": int(incident.acknowledged_at is not None),
        "opened_at_ms": round(incident.opened_at * 1000),
        "response_deadline_ms": round((incident.opened_at + response_s) * 1000),
        "resolution_deadline_ms": round((incident.opened_at + resolution_s) * 1000),
        "response_breached": int(incident.response_breached),
        "resolution_breached": int(incident.resolution_breached),
        "response_s": incident.response_seconds,
        "resolution_s": incident.resolution_seconds,
        "summary": incident.summary,
    }
    return Series.of(INCIDENT, tags).line(fields, round(at * 1000))


def traffic_line(app: AppConfig | None, app_id: str, *, day_start: float, pv: int, uv: int,
                 source: str) -> str:
    tags = {**app_tags(app, app_id), "source": source}
    return Series.of(TRAFFIC, tags).line({"pv": pv, "uv": uv}, round(day_start * 1000))
