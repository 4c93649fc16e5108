"""The frozen configuration objects (CONTRACT.md §2). The loader builds them from YAML/CSV/XLSX;
their fields, markers and docs are also what validation and the JSON Schema derive from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from monitor.config.fields import Duration, HttpUrl, Secret, setting

NOTIFY_APP = "app"  # escalation target: the app's own notify list
NOTIFY_OWNER = "owner"  # escalation target: the app's owner (mobile @-mention, email)


@dataclass(frozen=True)
class ApiToken:
    name: str = setting(doc="who holds the token; recorded as the actor of API changes")
    token: Secret = setting(doc="the bearer token; use ${ENV} rather than writing it here")


@dataclass(frozen=True)
class ServiceConfig:
    listen: str = setting("127.0.0.1:8080", doc="host:port of the HTTP API, console and /metrics")
    data_dir: str = setting("./data", doc="embedded storage; created if missing")
    timezone: str = setting("Asia/Shanghai", doc="IANA time zone for reports and schedules")
    language: Literal["zh-CN", "en"] = setting("zh-CN", doc="reports, console, notifications")
    public_url: HttpUrl = setting("http://127.0.0.1:8080", doc="base of links in notifications")
    api_tokens: tuple[ApiToken, ...] = setting((), doc="bearer tokens that may change state")
    max_concurrency: int = setting(
        500, minimum=1, maximum=100_000, doc="probe runs in flight at once across all checks"
    )
    raw_retention_s: Duration = setting(
        7 * 86400.0, key="raw_retention", doc="how long raw results are kept (rollups stay)"
    )
    log_level: Literal["debug", "info", "warning", "error"] = setting("info", doc="log level")
    log_format: Literal["auto", "json", "console"] = setting(
        "auto", doc="json lines, console (coloured) or auto (console on a TTY)"
    )


@dataclass(frozen=True)
class InfluxConfig:
    url: HttpUrl = setting(doc="InfluxDB base URL")
    org: str = setting(doc="organisation")
    bucket: str = setting(doc="bucket (or database/retention policy on 1.8)")
    token: Secret = setting(doc="API token")


@dataclass(frozen=True)
class Defaults:
    interval_s: Duration = setting(60.0, key="interval", doc="time between runs of a check")
    timeout_s: Duration = setting(15.0, key="timeout", doc="a run that takes longer fails")
    confirm: int = setting(2, minimum=1, maximum=100, doc="failed runs before an incident opens")
    recover: int = setting(2, minimum=1, maximum=100, doc="passing runs before it auto-resolves")


@dataclass(frozen=True)
class SlaConfig:
    response_s: Duration = setting(900.0, key="response", doc="opened -> acknowledged")
    resolution_s: Duration = setting(3600.0, key="resolution", doc="opened -> resolved")


@dataclass(frozen=True)
class Owner:
    name: str = setting(doc="owner's name")
    mobile: str | None = setting(None, doc="mobile number, @-mentioned in DingTalk messages")
    email: str | None = setting(None, doc="email address")


@dataclass(frozen=True)
class CheckConfig:
    """One check of one app. `spec` is the kind's own frozen spec (see probes.registry)."""

    id: str
    kind: str
    spec: Any
    interval_s: float
    timeout_s: float
    confirm: int
    recover: int
    line: int = 0  # where it was declared, for messages

    def fingerprint(self) -> tuple[object, ...]:
        """Equal fingerprints = the same check; a reload keeps its history and schedule."""
        return (self.kind, self.spec, self.interval_s, self.timeout_s, self.confirm, self.recover)


# Keys every check takes, whatever its kind; the rest belong to the kind's spec.
CHECK_COMMON_KEYS = ("id", "kind", "interval", "timeout", "confirm", "recover")


@dataclass(frozen=True)
class AppConfig:
    id: str
    name: str
    department: str
    category: str
    tier: int
    owner: Owner | None
    notify: tuple[str, ...]
    checks: tuple[CheckConfig, ...]
    irs_id: str | None = None
    target_users: int | None = None
    url: str | None = None
    line: int = 0


@dataclass(frozen=True)
class NotifierConfig:
    """One notification channel. `spec` is the channel kind's frozen spec."""

    id: str
    kind: str
    spec: Any


@dataclass(frozen=True)
class EscalationStep:
    after_s: Duration = setting(key="after", doc="time since the incident opened")
    notify: tuple[str, ...] = setting(doc='notifier ids, "app" (its notify list) or "owner"')


@dataclass(frozen=True)
class Config:
    source: Path
    service: ServiceConfig
    influxdb: InfluxConfig | None
    defaults: Defaults
    sla: SlaConfig
    apps: tuple[AppConfig, ...]
    notifiers: Mapping[str, NotifierConfig]
    escalation: tuple[EscalationStep, ...]

    def app(self, app_id: str) -> AppConfig | None:
        return next((app for app in self.apps if app.id == app_id), None)

    def iter_checks(self) -> list[tuple[AppConfig, CheckConfig]]:
        return [(app, check) for app in self.apps for check in app.checks]
