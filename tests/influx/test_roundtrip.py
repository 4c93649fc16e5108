"""Exact round trip: probe, incident and traffic lines through the sink into a real server
(VictoriaMetrics, plus InfluxDB when configured) and back, compared point for point."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from alerting.model import Incident, IncidentState, Severity
from monitor.core.config.model import AppConfig, CheckConfig
from monitor.influx.points import incident_line, probe_line, probe_series, traffic_line
from probes.base import ErrorKind, ProbeResult, Timings
from tests.influx.backends import Backend
from tests.influx.helpers import as_samples, eventually, make_sink, metric, now_ms


def _apps(run: str) -> tuple[AppConfig, AppConfig]:
    oa = AppConfig(id=f"rt{run}-oa", name="柯桥区协同办公, 测试=1 \"引号\"",
                   department="区大数据中心", category="办公协同", tier=1)
    port = AppConfig(id=f"rt{run}-port", name="Port app", department="", category="", tier=3)
    return oa, port


def _check(check_id: str, kind: str) -> CheckConfig:
    return CheckConfig(id=check_id, kind=kind, spec=None, interval_s=1.0, timeout_s=1.0,
                       confirm=2, recover=2)


def _lines(run: str) -> list[str]:
    oa, port = _apps(run)
    home = probe_series(oa, _check("home", "http"))
    tcp = probe_series(port, _check("tcp", "tcp"))
    t0 = now_ms() / 1000 - 300
    lines = []
    for n in range(20):  # more than once a second: ms timestamps keep the runs apart
        at = t0 + n * 0.25
        ok = ProbeResult(True, at, Timings(0.25 + n / 1000, 0.0021, 0.0043, 0.012, 0.1875),
                         message="200 OK", status_code=200, cert_days_left=60.5)
        lines.append(probe_line(home, ok))
        lines.append(probe_line(tcp, ProbeResult(True, at + 0.001, Timings(0.004, None, 0.004))))
    down = ProbeResult(False, t0 + 30, Timings(1.5), ErrorKind.STATUS,
                       'HTTP 503 "Service, Unavailable" = bad\\path 服务不可用', status_code=503)
    lines.append(probe_line(home, down))
    incident = Incident(
        id=f"inc-{run}", app_id=oa.id, app_name=oa.name, check_id="home",
        severity=Severity.CRITICAL, state=IncidentState.ACKNOWLEDGED,
        summary="首页 503, twice", started_at=t0 + 30, opened_at=t0 + 31,
        acknowledged_at=t0 + 91)
    lines.append(incident_line(incident, oa, response_s=900.0, resolution_s=3600.0, at=t0 + 91))
    lines.append(traffic_line(oa, oa.id, day_start=t0 - 86400, pv=12345, uv=678, source="irs"))
    return lines


async def test_points_come_back_exactly(backend: Backend, tmp_path: Path) -> None:
    run = uuid.uuid4().hex[:8]
    lines = _lines(run)
    sink, metrics = make_sink(backend.config(batch_size=7), tmp_path / "data")
    await sink.start()
    for line in lines:
        sink.add(line)
    await sink.flush()
    await sink.close()
    assert metric(metrics, "appmon_influx_points_written_total") == len(lines)

    expected = Counter((name, labels, ts, backend.stored(value))
                       for name, labels, ts, value in as_samples(lines))

    async def arrived() -> bool:
        return len(await backend.read(f"rt{run}-")) >= sum(expected.values())

    await eventually(arrived, timeout_s=10)
    actual = Counter(await backend.read(f"rt{run}-"))
    assert actual == expected

    # Spot checks written by hand, independent of the line parser.
    names = {name for name, *_ in actual}
    assert {"probe_up", "probe_latency_s", "probe_dns_s", "probe_status_code",
            "probe_cert_days_left", "incident_open", "incident_response_deadline_ms",
            "traffic_pv", "traffic_uv"} <= names
    oa_labels = {"app": f"rt{run}-oa", "app_name": "柯桥区协同办公, 测试=1 \"引号\"",
                 "department": "区大数据中心", "category": "办公协同", "tier": "1",
                 "check": "home", "kind": "http"}
    latency = [(ts, value) for name, labels, ts, value in actual
               if name == "probe_latency_s" and dict(labels) == oa_labels]
    assert len(latency) == 20
    assert sorted(latency)[3][1] == 0.253
    failure = [dict(labels) for name, labels, _, _ in actual
               if name == "probe_up" and dict(labels).get("error_kind") == "status"]
    assert len(failure) == 1
    traffic = {name: value for name, _, _, value in actual if name.startswith("traffic_")}
    assert traffic == {"traffic_pv": 12345, "traffic_uv": 678}
