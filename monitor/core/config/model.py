"""The frozen configuration objects (CONTRACT.md §2). The loader builds them from YAML/CSV/XLSX;
their fields, markers and docs are also what validation and the JSON Schema derive from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.core.checknames import check_title
from monitor.core.config.monthdays import MonthDayError, parse_month_days
from monitor.core.config.oncall import Rotation
from monitor.core.config.traffic import TrafficSource  # own module: keeps this one short
from monitor.core.config.windows import ALL_APPS, check_one_off, check_recurring
from monitor.core.configtext import ConfigText, ConfigValueError, keyed
from monitor.core.constants import (
    API_TOKEN_MIN_CHARS,
    INFLUX_BATCH_SIZE,
    INFLUX_FLUSH_INTERVAL_S,
    INFLUX_SPOOL_MAX_BYTES,
    INFLUX_TIMEOUT_S,
)
from monitor.core.fields import ByteSize, Duration, HttpUrl, ProxyUrl, Secret, setting
from monitor.core.hostnames import host_problem

NOTIFY_APP = "app"  # escalation target: the app's own notify list
NOTIFY_OWNER = "owner"  # escalation target: the app's owner (mobile @-mention, email)


@dataclass(frozen=True)
class ApiToken:
    name: str = setting(doc="who holds the token; recorded as the actor of API changes")
    token: Secret = setting(doc="the bearer token; use ${ENV} rather than writing it here")

    def __post_init__(self) -> None:
        if len(self.token.reveal()) < API_TOKEN_MIN_CHARS:  # never quoted: it is a secret
            raise keyed("token", ConfigText("api_token.short", min=API_TOKEN_MIN_CHARS))


@dataclass(frozen=True)
class ConnectivityConfig:
    """The monitor's own reachability: when every target fails, it is cut off (README)."""

    targets: tuple[str, ...] = setting(
        doc='what the monitor must reach: "tcp://host:port" or an http(s) URL (any answer '
        "counts)",
    )
    interval_s: Duration = setting(10.0, key="interval", minimum=1.0, doc="time between runs")
    timeout_s: Duration = setting(
        5.0, key="timeout", minimum=0.1, doc="a target not answering within this has failed"
    )

    def __post_init__(self) -> None:
        if not self.targets:
            raise ConfigValueError("connectivity.no_targets")
        for index, target in enumerate(self.targets):
            problem = connectivity_target_problem(target)
            if problem is not None:
                raise keyed(f"targets[{index}]", problem)


def connectivity_target_problem(target: str) -> ConfigText | None:
    """Why `target` is not "tcp://host:port" or an http(s) URL; None when it is one."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        return None if parts.hostname else ConfigText("connectivity.url_no_host", target=target)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "tcp" or not parts.hostname or port is None:
        return ConfigText("connectivity.bad_target", target=target)
    return host_problem(parts.hostname)


@dataclass(frozen=True)
class ServiceConfig:
    listen: str = setting("127.0.0.1:8080", doc="host:port of the HTTP API, console and /metrics")
    data_dir: str = setting("./data", doc="embedded storage; created if missing")
    timezone: str = setting("Asia/Shanghai", doc="IANA time zone for reports and schedules")
    language: Literal["zh-CN", "en"] = setting("zh-CN", doc="reports, console, notifications")
    organisation: str = setting(
        "", doc="issuing unit printed on reports; default: a neutral word from the catalog")
    public_url: HttpUrl | None = setting(
        None, doc="base of links in notifications; default: the address listened on")
    api_tokens: tuple[ApiToken, ...] = setting((), doc="bearer tokens that may change state")
    connectivity: ConnectivityConfig | None = setting(
        None, doc="the monitor's own reachability guard; without it, no guard runs"
    )
    max_concurrency: int = setting(
        500, minimum=1, maximum=100_000, doc="probe runs in flight at once across all checks"
    )
    max_connections: int = setting(
        256, minimum=8, maximum=100_000,
        doc="HTTP API/console connections at once; more get 503 (descriptors stay for probes)",
    )
    raw_retention_s: Duration = setting(
        7 * 86400.0, key="raw_retention", doc="how long raw results are kept (rollups stay)"
    )
    link_secret: Secret | None = setting(
        None, doc="key that signs acknowledge links; default: generated once into data_dir"
    )
    log_level: Literal["debug", "info", "warning", "error"] = setting("info", doc="log level")
    event_loop: Literal["uvloop", "asyncio"] = setting(
        "uvloop", doc="uvloop (about half the CPU per probe) or the standard library's loop"
    )
    log_format: Literal["auto", "json", "console"] = setting(
        "auto", doc="json lines, console (coloured) or auto (console on a TTY)"
    )

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigValueError("timezone.unknown", zone=self.timezone) from exc


@dataclass(frozen=True)
class InfluxConfig:
    url: HttpUrl = setting(doc="InfluxDB base URL")
    org: str = setting(doc="organisation")
    bucket: str = setting(doc="bucket (or database/retention policy on 1.8)")
    token: Secret = setting(doc="API token")
    batch_size: int = setting(
        INFLUX_BATCH_SIZE, minimum=1, maximum=1_000_000, doc="points per write request at most"
    )
    flush_interval_s: Duration = setting(
        INFLUX_FLUSH_INTERVAL_S, key="flush_interval", minimum=0.01,
        doc="longest a point waits before it is sent",
    )
    timeout_s: Duration = setting(
        INFLUX_TIMEOUT_S, key="timeout", minimum=0.1,
        doc="a write request taking longer fails and is retried",
    )
    spool_max: ByteSize = setting(
        INFLUX_SPOOL_MAX_BYTES, minimum=4096,
        doc="disk budget of the outage spool (data_dir/influx-spool); past it the oldest go",
    )


@dataclass(frozen=True)
class Defaults:
    interval_s: Duration = setting(60.0, key="interval", doc="time between runs of a check")
    timeout_s: Duration = setting(15.0, key="timeout", doc="a run that takes longer fails")
    confirm: int = setting(2, minimum=1, maximum=100, doc="failed runs before an incident opens")
    recover: int = setting(2, minimum=1, maximum=100, doc="passing runs before it auto-resolves")
    proxy: ProxyUrl | None = setting(
        None, doc="HTTP proxy for http and flow checks, http://[user:password@]host:port"
    )
    ip_version: Literal["auto", "4", "6"] = setting(
        "auto", doc='address family for http, flow and tcp checks: "4", "6", or "auto" '
        "(both, happy eyeballs)",
    )


@dataclass(frozen=True)
class SlaConfig:
    response_s: Duration = setting(900.0, key="response", doc="opened -> acknowledged")
    resolution_s: Duration = setting(3600.0, key="resolution", doc="opened -> resolved")
    request_response_s: Duration = setting(
        600.0, key="request_response",
        doc="ordinary service requests reported by people: reported -> acknowledged")


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
    name: str | None = None  # what people read (首页, 登录流程); None: the kind's name

    def title(self, lang: str) -> str:
        """The check as people read it: its name, else its kind's name (never a bare id)."""
        return check_title(self.name, self.kind, self.id, lang)

    def fingerprint(self) -> tuple[object, ...]:
        """Equal fingerprints = the same check; a reload keeps its history and schedule."""
        return (self.kind, self.spec, self.interval_s, self.timeout_s, self.confirm, self.recover)


# Keys every check takes, whatever its kind; the rest belong to the kind's spec.
CHECK_COMMON_KEYS = ("id", "kind", "name", "interval", "timeout", "confirm", "recover")

# Formats the loader enforces (the JSON Schema shows them to editors too).
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # app and check ids: safe in URLs, labels and file names
MOBILE_PATTERN = r"^1[0-9]{10}$"  # mainland mobile numbers, as DingTalk @-mentions need them
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # a shape check; delivery is the real test


@dataclass(frozen=True)
class CheckCommon:
    """How the keys in CHECK_COMMON_KEYS are read; unset ones fall back to `defaults`."""

    id: str = setting(doc="check id, unique within the app: [a-z0-9][a-z0-9-]*")
    kind: str = setting(doc="probe kind")
    name: str | None = setting(
        None, doc="display name people read (首页, 登录流程); default: the kind's name"
    )
    interval_s: Duration | None = setting(None, key="interval", doc="default: defaults.interval")
    timeout_s: Duration | None = setting(None, key="timeout", doc="default: defaults.timeout")
    confirm: int | None = setting(
        None, minimum=1, maximum=100, doc="failed runs before an incident opens"
    )
    recover: int | None = setting(
        None, minimum=1, maximum=100, doc="passing runs before it auto-resolves"
    )


@dataclass(frozen=True)
class AppConfig:
    id: str = setting(doc="stable id, [a-z0-9][a-z0-9-]*; history and incidents are keyed by it")
    name: str = setting(doc="display name, e.g. 柯桥区协同办公")
    department: str = setting("", doc="owning department (classification dimension)")
    category: str = setting("", doc="category (classification dimension)")
    tier: int = setting(3, minimum=1, maximum=3, doc="1 critical, 2 important, 3 normal")
    owner: Owner | None = setting(None, doc="the app's owner; notified through escalation 'owner'")
    notify: tuple[str, ...] = setting((), doc="notifier ids used for this app's incidents")
    checks: tuple[CheckConfig, ...] = setting(
        (), doc="the checks; without any, an http check 'home' on `url` (any 2xx passes)"
    )
    irs_id: str | None = setting(None, doc="number of the app in IRS (一体化数字资源系统)")
    target_users: int | None = setting(
        None, minimum=0, doc="declared target users (low-frequency threshold)"
    )
    url: HttpUrl | None = setting(None, doc="the app's entry URL")
    traffic: TrafficSource | None = setting(
        None, doc="where to pull the app's traffic (访问量) from; pushes and logs need none"
    )
    status: Literal["trial", "listed", "delisted"] = setting(
        "listed", doc="listing status before any recorded change (`listing set` records them)"
    )
    line: int = 0


@dataclass(frozen=True)
class NotifierConfig:
    """One notification channel. `spec` is the channel kind's frozen spec."""

    id: str
    kind: str
    spec: Any


@dataclass(frozen=True)
class NotifierCommon:
    """The keys every notifier takes; the rest belong to the kind's spec."""

    id: str = setting(doc='notifier id, referred to by apps[].notify and escalation[].notify')
    kind: str = setting(doc="channel kind")


@dataclass(frozen=True)
class EscalationStep:
    after_s: Duration = setting(key="after", doc="time since the incident opened")
    notify: tuple[str, ...] = setting(doc='notifier ids, "app" (its notify list) or "owner"')


# Without an `escalation` section: tell the app's channels and its owner at once.
DEFAULT_ESCALATION = (EscalationStep(after_s=0.0, notify=(NOTIFY_APP, NOTIFY_OWNER)),)


@dataclass(frozen=True)
class SeverityByTier:
    tier1: Literal["critical", "major", "minor"] = setting("critical", doc="tier 1 apps")
    tier2: Literal["critical", "major", "minor"] = setting("major", doc="tier 2 apps")
    tier3: Literal["critical", "major", "minor"] = setting("minor", doc="tier 3 apps")

    def for_tier(self, tier: int) -> str:
        return {1: self.tier1, 2: self.tier2}.get(tier, self.tier3)


@dataclass(frozen=True)
class AlertmanagerConfig:
    app_label: str = setting("app", doc="alert label naming the app id")
    check_label: str = setting("alertname", doc="alert label used as the check id")
    hmac_secret: Secret | None = setting(
        None, doc="accept X-Monitor-Signature: sha256=<hmac of body> instead of a bearer token"
    )


@dataclass(frozen=True)
class CorrelateConfig:
    """大面积故障: outages of many apps at once are one event for the people on duty."""

    enabled: bool = setting(True, doc="open one correlated incident for outages that coincide")
    min_apps: int = setting(
        5, minimum=2, maximum=100_000,
        doc="this many apps failing within `window` open a correlated incident (大面积故障)",
    )
    window_s: Duration = setting(
        60.0, key="window", doc="outages opened this close together count as one event",
    )


@dataclass(frozen=True)
class AlertingConfig:
    flap_window_s: Duration = setting(
        600.0, key="flap_window", doc="a failure this soon after resolving reopens the incident"
    )
    flap_threshold: int = setting(
        3, minimum=1, maximum=100,
        doc="more opens, resolves and reopens than this within flap_window: the incident stays "
        "open as flapping (不稳定) until the check is stable for a whole flap_window",
    )
    warning_reminders_s: tuple[Duration, ...] = setting(
        (30 * 86400.0, 14 * 86400.0, 7 * 86400.0, 3 * 86400.0, 86400.0), key="warning_reminders",
        doc="a warning (certificate close to expiry) is reminded when the time left falls "
        "under each of these",
    )
    reminder_interval_s: Duration | None = setting(
        1800.0, key="reminder_interval", doc="repeat notifications while unresolved; null: never"
    )
    severity: SeverityByTier = setting(SeverityByTier(), doc="incident severity by app tier")
    alertmanager: AlertmanagerConfig = setting(
        AlertmanagerConfig(), doc="POST /api/v1/alertmanager: alerts from Prometheus"
    )
    group_wait_s: Duration = setting(
        5.0, key="group_wait",
        doc="DingTalk and e-mail: after a burst's first message, events within this time go "
        "out together as one digest (0 with group_interval 0: no grouping)",
    )
    group_interval_s: Duration = setting(
        15.0, key="group_interval",
        doc="DingTalk and e-mail: while a burst lasts, at most one message per this interval",
    )
    correlate: CorrelateConfig = setting(
        CorrelateConfig(), doc="outages of many apps at once as one correlated incident"
    )


@dataclass(frozen=True)
class MaintenanceWindow:
    """A time when an app's probes run but no incident opens and nothing is sent."""

    id: str = setting(doc="stable id, [a-z0-9][a-z0-9-]*; occurrences are recorded under it")
    apps: tuple[str, ...] = setting(doc='the app ids it covers, or ["all"] for every app')
    start: str | None = setting(
        None, doc="one-off: ISO 8601 start, e.g. 2026-11-28T22:00:00+08:00 (no offset: timezone)"
    )
    end: str | None = setting(None, doc="one-off: ISO 8601 end, exclusive")
    cron: str | None = setting(
        None, doc='recurring: start times as a 5-field crontab, e.g. "0 2 * * 6" (Sat 02:00)'
    )
    duration_s: Duration | None = setting(None, key="duration", doc="recurring: length of each")
    timezone: str | None = setting(
        None, doc="IANA zone of cron and of start/end without offset; default service.timezone"
    )
    reason: str = setting("", doc="why, e.g. 系统升级; shown in reports")

    def __post_init__(self) -> None:
        # Rules between keys; the loader checks the id's format and that the apps exist.
        if not self.apps:
            raise ConfigValueError("maintenance.apps_empty", all=ALL_APPS)
        if ALL_APPS in self.apps and len(self.apps) > 1:
            raise ConfigValueError("maintenance.apps_all", all=ALL_APPS)
        zone = _check_zone(self.timezone)
        one_off = (self.start, self.end) != (None, None)
        recurring = (self.cron, self.duration_s) != (None, None)
        if one_off == recurring:
            raise ConfigValueError("maintenance.not_both" if one_off else "maintenance.either")
        if one_off:
            check_one_off(self.start, self.end)
        else:
            check_recurring(self.cron, self.duration_s, zone)


def _check_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")  # UTC only to check the cron; the calendar picks the zone
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigValueError("timezone.unknown", zone=name) from exc


@dataclass(frozen=True)
class ReportsConfig:
    monthly: bool = setting(True, doc="write last month's report on the 1st, 00:10 local time")
    quarterly: bool = setting(
        True, doc="write the quarterly watch report on the 1st of a quarter's last month, 00:20")
    email_via: str | None = setting(None, doc="id of an email notifier that mails the report")
    recipients: tuple[str, ...] = setting((), doc="addresses; default: that notifier's `to`")


@dataclass(frozen=True)
class ConsoleConfig:
    open_read: bool = setting(
        True, doc="pages readable without signing in (a wall screen); actions always need it"
    )
    session_ttl_s: Duration = setting(
        12 * 3600.0, key="session_ttl", minimum=60.0, doc="how long a console sign-in lasts"
    )
    max_streams: int = setting(
        64, minimum=1, maximum=10_000,
        doc="live wall streams at once; more get 503 (each holds a connection)",
    )
    live_interval_s: Duration = setting(
        2.0, key="live_interval", minimum=0.2, maximum=60.0,
        doc="how often the wall's live stream sends changes",
    )


@dataclass(frozen=True)
class GovernanceConfig:
    quarter_ends: tuple[str, ...] = setting(
        ("03-31", "06-30", "09-30", "12-31"),
        doc="days of the province's quarterly notice (MM-DD, service.timezone)",
    )
    rectification: bool = setting(
        True, doc="open rectification items for flagged listed apps and notify their owners"
    )
    audit_interval_s: Duration = setting(
        6 * 3600.0, key="audit_interval", minimum=60.0,
        doc="how often the service runs the inventory audit for rectification",
    )
    remind_before_s: Duration = setting(
        7 * 86400.0, key="remind_before", minimum=0.0,
        doc="remind the owner this long before an open item's deadline",
    )
    notify: tuple[str, ...] = setting(
        (), doc="notifier ids that get a copy of every rectification notice (the centre)"
    )

    def __post_init__(self) -> None:
        try:
            parse_month_days(self.quarter_ends)
        except MonthDayError as exc:
            raise keyed("quarter_ends", exc) from exc


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
    alerting: AlertingConfig = field(default_factory=AlertingConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    governance: GovernanceConfig = field(default_factory=GovernanceConfig)
    console: ConsoleConfig = field(default_factory=ConsoleConfig)
    maintenance: tuple[MaintenanceWindow, ...] = ()
    oncall: tuple[Rotation, ...] = ()

    def app(self, app_id: str) -> AppConfig | None:
        return next((app for app in self.apps if app.id == app_id), None)

    def rotation(self, rotation_id: str) -> Rotation | None:
        return next((r for r in self.oncall if r.id == rotation_id), None)

    def iter_checks(self) -> list[tuple[AppConfig, CheckConfig]]:
        return [(app, check) for app in self.apps for check in app.checks]
