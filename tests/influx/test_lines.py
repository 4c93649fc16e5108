"""Line protocol: escaping, types and the probe/incident points of the documented schema."""

from __future__ import annotations

from monitor.influx.lines import Series, field_value
from monitor.influx.points import incident_line, probe_line
from probes.base import ErrorKind, ProbeResult, Timings
from tests.support.receivers import sample_incident


def test_tags_and_strings_are_escaped() -> None:
    series = Series.of("probe", {"app": "kq oa", "app_name": "柯桥,协同=办公", "empty": ""})
    assert series.key == r"probe,app=kq\ oa,app_name=柯桥\,协同\=办公"
    assert field_value('say "hi"\\') == r'"say \"hi\"\\"'
    assert field_value(3) == "3i"
    assert field_value(True) == "1i"
    assert field_value(0.25) == "0.25"


def test_probe_point_carries_failures_and_leaves_out_unmeasured_phases() -> None:
    series = Series.of("probe", {"app": "kq-oa", "check": "home"})
    ok = ProbeResult(ok=True, started_at=1700000000.1234, timings=Timings(0.05, connect_s=0.001),
                     status_code=200)
    assert probe_line(series, ok) == (
        "probe,app=kq-oa,check=home up=1i,latency_s=0.05,connect_s=0.001,status_code=200i "
        "1700000000123")
    bad = ProbeResult(ok=False, started_at=1700000001.0, timings=Timings(2.0),
                      error_kind=ErrorKind.TIMEOUT, message="timed out")
    assert probe_line(series, bad) == (
        'probe,app=kq-oa,check=home,error_kind=timeout up=0i,latency_s=2.0,error="timed out" '
        "1700000001000")
    # The monitor could not tell: no `up` at all, so mean("up") leaves the run out.
    blind = ProbeResult(ok=False, unknown=True, started_at=1700000002.0, timings=Timings(1.0),
                        error_kind=ErrorKind.MONITOR, message="cut off")
    assert probe_line(series, blind) == (
        'probe,app=kq-oa,check=home,error_kind=monitor unknown=1i,latency_s=1.0,error="cut off" '
        "1700000002000")


def test_incident_point_has_deadlines_in_ms() -> None:
    line = incident_line(sample_incident(), None, response_s=900, resolution_s=3600,
                         at=1764000060.0)
    assert line.startswith("incident,app=kq-oa,app_name=柯桥区协同办公,check=home,"
                           "incident=inc-0001,kind=outage,severity=critical ")
    assert "response_deadline_ms=1764000900000i" in line
    assert "resolution_deadline_ms=1764003600000i" in line
    assert 'state="open",open=1i' in line
    assert line.endswith(" 1764000060000")
