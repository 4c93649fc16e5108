"""The incident pages' view models: rows, SLA deadlines, filters by month in the service's
time zone, and the detail's facts, timeline and deliveries."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerting.model import IncidentState, TimelineEntry
from alerting.storetypes import DeliveryAttempt, DeliveryRecord, DeliveryState
from monitor.config import load_config
from monitor.console.pages.incidents.filters import Filters, matches, parse_filters
from monitor.console.pages.incidents.view import incident_detail, incident_row
from monitor.core.config.model import Config
from tests.support.receivers import sample_delivery, sample_incident
from tests.support.target import write_config

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> float:
    """Epoch seconds of a local (+08:00) time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(write_config(tmp_path, textwrap.dedent(f"""
        service:
          data_dir: "{tmp_path / 'data'}"
        sla:
          response: "15m"
          resolution: "1h"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            department: "区大数据中心"
            url: "http://127.0.0.1:9/health"
          - id: "kq-jczz"
            name: "基层智治"
            department: "区委政法委"
            url: "http://127.0.0.1:9/health"
    """)))


def test_open_row_counts_down_to_both_deadlines(config: Config) -> None:
    opened = at("2025-11-25T10:00:00")
    row = incident_row(sample_incident(opened_at=opened), config, TZ, "zh-CN")
    assert (row.state, row.severity, row.department) == ("open", "critical", "区大数据中心")
    assert row.opened == "11-25 10:00"
    assert row.response_due_ms == int((opened + 900) * 1000)
    assert row.resolution_due_ms == int((opened + 3600) * 1000)
    assert (row.response, row.resolution) == ("", "")


def test_acknowledged_and_resolved_rows_show_durations_not_deadlines(config: Config) -> None:
    opened = at("2025-11-25T10:00:00")
    acked = sample_incident(opened_at=opened, state=IncidentState.ACKNOWLEDGED,
                            acknowledged_at=opened + 300, acknowledged_by="张三")
    row = incident_row(acked, config, TZ, "zh-CN")
    assert (row.response, row.response_due_ms) == ("5分0秒", None)
    assert row.resolution_due_ms == int((opened + 3600) * 1000)

    done = sample_incident(opened_at=opened, state=IncidentState.RESOLVED,
                           acknowledged_at=opened + 1200, resolved_at=opened + 5400,
                           response_breached=True, resolution_breached=True)
    row = incident_row(done, config, TZ, "en")
    assert (row.response, row.resolution) == ("20m 0s", "1h 30m")
    assert (row.response_due_ms, row.resolution_due_ms) == (None, None)
    assert row.response_breached
    assert row.resolution_breached


def test_filters_parse_and_drop_what_is_malformed() -> None:
    filters, errors = parse_filters({"state": "open", "app": "kq-oa", "month": "2025-11"})
    assert filters == Filters("open", "kq-oa", "", "2025-11")
    assert errors == []
    filters, errors = parse_filters({"state": "closed", "month": "2025-13", "department": "x"})
    assert filters == Filters("", "", "x", "")
    assert errors == ["filter.bad_state", "filter.bad_month"]
    assert not parse_filters({})[0].active


def test_month_is_a_calendar_month_in_the_service_time_zone(config: Config) -> None:
    november = Filters(month="2025-11")
    last_minute = sample_incident(opened_at=at("2025-11-30T23:59:00"))  # 15:59 UTC
    first_minute = sample_incident(opened_at=at("2025-12-01T00:00:00"))  # still Nov 30 UTC
    assert matches(last_minute, november, config, TZ)
    assert not matches(first_minute, november, config, TZ)
    assert matches(first_minute, Filters(month="2025-12"), config, TZ)


def test_state_app_and_department_filters(config: Config) -> None:
    oa = sample_incident(1)
    jczz = sample_incident(2, app_id="kq-jczz", app_name="基层智治",
                           state=IncidentState.RESOLVED)
    gone = sample_incident(3, app_id="removed-app")
    assert [matches(i, Filters(state="open"), config, TZ) for i in (oa, jczz)] == [True, False]
    assert [matches(i, Filters(app="kq-jczz"), config, TZ) for i in (oa, jczz)] == [False, True]
    department = Filters(department="区委政法委")
    assert [matches(i, department, config, TZ) for i in (oa, jczz, gone)] == [
        False, True, False]


def test_detail_has_facts_timeline_and_deliveries(config: Config) -> None:
    opened = at("2025-11-25T10:00:00")
    incident = sample_incident(
        opened_at=opened, state=IncidentState.RESOLVED, acknowledged_at=opened + 120,
        acknowledged_by="张三", resolved_at=opened + 600, resolved_by="李四", cause="磁盘已满",
        timeline=(TimelineEntry(opened - 60, "first_failure", note="HTTP 502"),
                  TimelineEntry(opened, "opened"),
                  TimelineEntry(opened + 120, "acknowledged", by="张三", note="在看"),
                  TimelineEntry(opened + 600, "resolved", by="李四", note="磁盘已满")))
    delivery = sample_delivery(incident=incident)
    sent = DeliveryRecord(delivery, DeliveryState.SENT, opened, "200", None, opened + 1,
                          opened + 1, (DeliveryAttempt(opened + 1, True, "200", ""),))
    failing = DeliveryRecord(sample_delivery(incident=incident, notifier="ops-mail"),
                             DeliveryState.PENDING, opened + 60, "503", "HTTP 503 from hook",
                             None, None, (DeliveryAttempt(opened + 1, False, "503", "x"),))
    view = incident_detail(incident, [sent, failing], config, TZ, "zh-CN")

    facts = dict(view.facts)
    assert facts["fact.acknowledged"] == "2025-11-25 10:02:00，张三"
    assert facts["fact.resolved"] == "2025-11-25 10:10:00，李四"
    assert facts["fact.cause"] == "磁盘已满"
    assert facts["fact.response"] == "2分0秒"
    assert "fact.source" not in facts  # "probe" is the ordinary source, not worth a line
    assert [e.type for e in view.timeline] == ["first_failure", "opened", "acknowledged",
                                               "resolved"]
    assert view.timeline[2].by == "张三"
    assert view.timeline[2].note == "在看"
    assert view.timeline[0].at == "2025-11-25 09:59:00"
    first, second = view.deliveries
    assert (first.notifier, first.event, first.state, first.sent_at) == (
        "oncall-robot", "incident.opened", "sent", "2025-11-25 10:00:01")
    assert (second.notifier, second.state, second.last_error, second.sent_at) == (
        "ops-mail", "pending", "HTTP 503 from hook", "")
    assert not view.can_ack
    assert not view.can_resolve


def test_auto_resolved_says_so(config: Config) -> None:
    incident = sample_incident(state=IncidentState.RESOLVED, resolved_at=at("2025-11-25T11:00"),
                               auto_resolved=True)
    assert dict(incident_detail(incident, [], config, TZ, "en").facts)["fact.resolved"] == (
        "2025-11-25 11:00:00 (recovered by itself)")
    open_one = incident_detail(sample_incident(), [], config, TZ, "zh-CN")
    assert open_one.can_ack
    assert open_one.can_resolve
