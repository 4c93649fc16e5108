"""A simulated two days of monitoring, as the lines the InfluxDB sink would have written.

Five apps in three departments (config loaded from YAML like the real one), a probe run every
two minutes per check, and the failures a wall display must show: an outage a day ago (a
resolved incident), a flaky API with a resolved incident that breached its response time, an
app that is down right now (an open incident, response time breached), a slow app, daily
traffic. Every line comes from monitor/influx/points.py, so the dashboards are tested against
exactly the series schema the service writes.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentState, Severity
from monitor.config import load_config
from monitor.core.config.model import AppConfig, CheckConfig, Config
from monitor.influx.maintenance import MaintenanceMarks
from monitor.influx.points import incident_line, probe_line, probe_series, traffic_line
from probes.base import ErrorKind, ProbeResult, Timings

ZONE = ZoneInfo("Asia/Shanghai")
STEP_S = 120.0  # one run per check every two minutes
SPAN_S = 2 * 86400.0  # two days of history
MINUTE = 60.0
HOUR = 3600.0

CONFIG = """\
sla:
  response: "15m"
  resolution: "1h"
apps:
  - id: "kq-oa"
    name: "柯桥区协同办公"
    department: "区大数据中心"
    category: "办公协同"
    tier: 1
    checks:
      - { id: "home", kind: "http", url: "https://oa.example.org/" }
      - { id: "port", kind: "tcp", host: "oa.example.org", port: 443 }
  - id: "kq-auth"
    name: "统一身份认证"
    department: "区大数据中心"
    category: "基础支撑"
    tier: 1
    url: "https://auth.example.org/"
  - id: "kq-health"
    name: "健康柯桥"
    department: "区卫健局"
    category: "医疗健康"
    tier: 2
    checks:
      - { id: "home", kind: "http", url: "https://health.example.org/" }
      - { id: "api", kind: "http", url: "https://health.example.org/api/ping" }
  - id: "kq-booking"
    name: "预约挂号"
    department: "区卫健局"
    category: "医疗健康"
    tier: 3
    url: "https://booking.example.org/"
  - id: "kq-edu"
    name: "智慧教育"
    department: "区教育局"
    category: "教育服务"
    tier: 3
    url: "http://edu.example.org/"
"""

DEPARTMENTS = ("区大数据中心", "区卫健局", "区教育局")
DOWN_APP = "健康柯桥"  # down right now, with an open incident


@dataclass(frozen=True)
class Simulation:
    config: Config
    now: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _Window:
    start: float
    end: float

    def __contains__(self, t: float) -> bool:
        return self.start <= t < self.end


def simulate(workdir: Path, now: float) -> Simulation:
    path = workdir / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path, env={})
    lines: list[str] = []
    runs = _Runs(now)
    # 智慧教育 had a maintenance window two days ago: its points there carry maintenance=1.
    hour = (now - 40 * HOUR) // HOUR * HOUR
    marks = MaintenanceMarks(lambda a, b: [("app:kq-edu", hour, hour + HOUR)])
    for app, check in config.iter_checks():
        series = probe_series(app, check)
        lines += [probe_line(series, runs.result(app, check, t),
                             maintenance=marks.marked(app.id, t)) for t in runs.times()]
    lines += _incidents(config, runs)
    lines += _traffic(config, now)
    return Simulation(config=config, now=now, lines=tuple(lines))


class _Runs:
    """Which run fails and how: fixed windows relative to `now`, seeded jitter."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.end = now - 1.0  # the latest run, just before the test starts querying
        self.oa_outage = _Window(now - 26 * HOUR, now - 25.5 * HOUR)
        self.api_outage = _Window(now - 6 * HOUR, now - 5.5 * HOUR)
        self.health_down = _Window(now - 20 * MINUTE, now + HOUR)
        self.random = random.Random(20240601)

    def times(self) -> Iterator[float]:
        t = self.end - SPAN_S
        while t <= self.end:
            yield t
            t += STEP_S

    def result(self, app: AppConfig, check: CheckConfig, t: float) -> ProbeResult:
        jitter = self.random.uniform(0.8, 1.2)
        https = check.kind == "http" and str(check.spec.url).startswith("https")
        dns, connect = 0.004 * jitter, 0.012 * jitter
        tls = 0.035 * jitter if https else None
        first_byte = (2.8 if app.id == "kq-booking" else 0.12) * jitter
        if check.kind == "tcp":
            timings = Timings(total_s=dns + connect, dns_s=dns, connect_s=connect)
            return ProbeResult(ok=True, started_at=t, timings=timings, message="connected")
        timings = Timings(total_s=dns + connect + (tls or 0.0) + first_byte + 0.01,
                          dns_s=dns, connect_s=connect, tls_s=tls, first_byte_s=first_byte)
        cert = None
        if https:
            cert = (9.5 if app.id == "kq-auth" else 80.0) + (self.now - t) / 86400
        ok = ProbeResult(ok=True, started_at=t, timings=timings, status_code=200,
                         cert_days_left=cert, message="HTTP 200")
        return self._failure(app.id, check.id, t, ok) or ok

    def _failure(self, app: str, check: str, t: float, ok: ProbeResult) -> ProbeResult | None:
        index = round((t - self.end) / STEP_S)
        if (app, check) == ("kq-oa", "home") and t in self.oa_outage:
            return _failed(ok, ErrorKind.CONNECT_TIMEOUT, "connect timed out after 10 s",
                           Timings(total_s=10.0, dns_s=0.004))
        if (app, check) == ("kq-health", "api") and t in self.api_outage:
            return _failed(ok, ErrorKind.TIMEOUT, "no answer within 15 s", Timings(total_s=15.0))
        if (app, check) == ("kq-health", "api") and index % 13 == 5:
            return _failed(ok, ErrorKind.STATUS, "HTTP 500, expected 2xx", ok.timings, 500)
        if (app, check) == ("kq-health", "home") and t in self.health_down:
            return _failed(ok, ErrorKind.STATUS, "HTTP 503, expected 2xx", ok.timings, 503)
        if app == "kq-booking" and index % 50 == 7:
            return _failed(ok, ErrorKind.SLOW, "answered in 16.2 s, max 15 s",
                           dataclasses.replace(ok.timings, total_s=16.2), 200)
        if app == "kq-edu" and index % 97 == 11:
            return _failed(ok, ErrorKind.DNS, "NXDOMAIN", Timings(total_s=0.03, dns_s=0.03))
        return None


def _failed(ok: ProbeResult, kind: ErrorKind, message: str, timings: Timings,
            status: int | None = None) -> ProbeResult:
    return dataclasses.replace(ok, ok=False, error_kind=kind, message=message, timings=timings,
                               status_code=status)


def _incidents(config: Config, runs: _Runs) -> list[str]:
    """Each incident as the points its changes write: opened, breach, acknowledged, resolved."""
    sla = config.sla
    lines: list[str] = []

    def emit(incident: Incident, at: float) -> None:
        app = config.app(incident.app_id)
        lines.append(incident_line(incident, app, response_s=sla.response_s,
                                   resolution_s=sla.resolution_s, at=at))

    def base(number: str, app_id: str, check: str, severity: Severity, started: float,
             summary: str) -> Incident:
        app = config.app(app_id)
        assert app is not None
        opened = started + 2 * STEP_S  # confirm: 2 failed runs
        return Incident(id=f"INC-{number}", app_id=app_id, app_name=app.name, check_id=check,
                        severity=severity, state=IncidentState.OPEN, summary=summary,
                        started_at=started, opened_at=opened)

    # A day ago: the OA home page unreachable for 30 minutes; handled within the SLA.
    oa = base("0001", "kq-oa", "home", Severity.CRITICAL, runs.oa_outage.start,
              "柯桥区协同办公 首页无法连接")
    emit(oa, oa.opened_at)
    oa = dataclasses.replace(oa, state=IncidentState.ACKNOWLEDGED,
                             acknowledged_at=oa.opened_at + 8 * MINUTE, acknowledged_by="张伟")
    emit(oa, oa.opened_at + 8 * MINUTE)
    oa = dataclasses.replace(oa, state=IncidentState.RESOLVED, auto_resolved=True,
                             resolved_at=runs.oa_outage.end + 2 * STEP_S)
    emit(oa, runs.oa_outage.end + 2 * STEP_S)

    # Six hours ago: the health API timed out; acknowledged late (response time breached).
    api = base("0002", "kq-health", "api", Severity.MAJOR, runs.api_outage.start,
               "健康柯桥 接口超时")
    emit(api, api.opened_at)
    api = dataclasses.replace(api, response_breached=True)
    emit(api, api.opened_at + sla.response_s)
    api = dataclasses.replace(api, state=IncidentState.ACKNOWLEDGED,
                              acknowledged_at=api.opened_at + 20 * MINUTE, acknowledged_by="李娜")
    emit(api, api.opened_at + 20 * MINUTE)
    api = dataclasses.replace(api, state=IncidentState.RESOLVED,
                              resolved_at=runs.api_outage.end + 2 * STEP_S)
    emit(api, runs.api_outage.end + 2 * STEP_S)

    # Now: the health home page answers 503; open, nobody has responded for 15 minutes.
    home = base("0003", "kq-health", "home", Severity.MAJOR, runs.health_down.start,
                "健康柯桥 首页返回 503")
    emit(home, home.opened_at)
    breach_at = home.opened_at + sla.response_s
    if breach_at < runs.now:
        emit(dataclasses.replace(home, response_breached=True), breach_at)
    return lines


def _traffic(config: Config, now: float) -> list[str]:
    """Daily counts at local midnight: today (so far), yesterday and the day before."""
    today = datetime.fromtimestamp(now, ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = []
    for n, app in enumerate(config.apps):
        for days_ago in (0, 1, 2):
            day = (today - timedelta(days=days_ago)).timestamp()
            pv = 1000 * (n + 1) + 37 * days_ago
            lines.append(traffic_line(app, app.id, day_start=day, pv=pv, uv=pv // 7,
                                      source="push"))
    return lines
