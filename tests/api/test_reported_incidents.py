"""Faults and requests reported by people (POST /api/v1/incidents), through the real service:
an outage reported by phone runs the 15-minute / 1-hour clocks from the report, a request by
DingTalk only the request response clock (sla.request_response, 10 minutes); both are told to
the webhook receiver like any incident, listed, acknowledged and resolved like any."""

from __future__ import annotations

from typing import Any

from alerting import render
from alerting.model import Incident, IncidentKind, IncidentState, Severity, TimelineEntry
from alerting.storecodec import incident_from_json, incident_to_json
from monitor.service import Service
from tests.api.conftest import Api, SetClock
from tests.support.receivers import WebhookReceiver

OUTAGE = {"app_id": "kq-oa", "summary": "无法登录，提示系统繁忙", "reported_by": "王科长",
          "channel": "phone", "kind": "outage"}
REQUEST = {"app_id": "kq-jczz", "summary": "新增两个账号", "reported_by": "李四",
           "channel": "dingtalk", "kind": "request"}


async def _report(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    status, incident = await api.post("/api/v1/incidents", body)
    assert status == 201, incident
    return incident  # type: ignore[no-any-return]


async def _get(api: Api, incident_id: str) -> dict[str, Any]:
    status, body = await api.get(f"/api/v1/incidents/{incident_id}")
    assert status == 200
    return body  # type: ignore[no-any-return]


async def test_reported_outage_and_request(
    service: Service, api: Api, hook: WebhookReceiver, clock: SetClock,
) -> None:
    outage = await _report(api, OUTAGE)
    request = await _report(api, REQUEST)
    assert outage["source"] == request["source"] == "reported"
    assert (outage["kind"], request["kind"]) == ("outage", "request")
    assert (outage["reported_by"], outage["channel"]) == ("王科长", "phone")
    assert (request["reported_by"], request["channel"]) == ("李四", "dingtalk")
    assert outage["severity"] == "critical"  # kq-oa is tier 1
    assert request["severity"] == "major"  # kq-jczz is tier 2
    assert outage["state"] == "open"
    assert outage["opened_at"] == outage["started_at"]
    assert outage["summary"] == "无法登录，提示系统繁忙"
    opened = [e for e in outage["timeline"] if e["type"] == "opened"]
    assert opened == [{"at": outage["opened_at"], "type": "opened", "by": "王科长",
                       "note": "无法登录，提示系统繁忙"}]

    # Notified at once, like any incident: incident.opened to the first step's targets.
    await service.outbox.run_once()
    opened_events = {r.body["incident"]["id"]: r.body for r in hook.received
                     if r.body["event"] == "incident.opened"}
    assert set(opened_events) == {outage["id"], request["id"]}
    assert opened_events[request["id"]]["incident"]["source"] == "reported"
    assert opened_events[request["id"]]["incident"]["channel"] == "dingtalk"

    # The request answers within 10 minutes, the outage within 15; a request never has a
    # resolution clock.
    clock.advance(599)
    await service.alerts.tick_all()
    assert (await _get(api, request["id"]))["response_breached"] is False
    clock.advance(1)
    await service.alerts.tick_all()
    req = await _get(api, request["id"])
    assert req["response_breached"] is True
    assert (await _get(api, outage["id"]))["response_breached"] is False
    clock.advance(300)
    await service.alerts.tick_all()
    out = await _get(api, outage["id"])
    assert out["response_breached"] is True
    assert out["resolution_breached"] is False
    clock.advance(3600)
    await service.alerts.tick_all()
    out, req = await _get(api, outage["id"]), await _get(api, request["id"])
    assert out["resolution_breached"] is True
    assert req["resolution_breached"] is False
    assert "resolution_breached" not in [e["type"] for e in req["timeline"]]

    # Listed with the others; filtered by kind.
    _, listed = await api.get("/api/v1/incidents")
    assert {outage["id"], request["id"]} <= {i["id"] for i in listed["incidents"]}
    _, requests = await api.get("/api/v1/incidents?kind=request")
    assert [i["id"] for i in requests["incidents"]] == [request["id"]]

    # Acknowledged and resolved by hand like any incident (no check to be still failing).
    status, acked = await api.post(f"/api/v1/incidents/{request['id']}/ack", {"by": "张三"})
    assert status == 200
    assert acked["state"] == "acknowledged"
    status, done = await api.post(f"/api/v1/incidents/{outage['id']}/resolve",
                                  {"by": "张三", "cause": "数据库连接池耗尽"})
    assert status == 200, done
    assert done["state"] == "resolved"
    await service.outbox.run_once()
    events = [(r.body["event"], r.body["incident"]["id"]) for r in hook.received]
    assert ("incident.acknowledged", request["id"]) in events
    assert ("incident.resolved", outage["id"]) in events


async def test_two_reports_for_one_app_are_two_incidents(service: Service, api: Api) -> None:
    first = await _report(api, OUTAGE)
    second = await _report(api, OUTAGE | {"reported_by": "另一位", "channel": "onsite"})
    assert first["id"] != second["id"]
    assert first["check_id"] == second["check_id"] == "reported"
    active = [i for i in service.alerts.active.values() if i.app_id == "kq-oa"]
    assert len(active) == 2


async def test_notification_texts_name_reporter_and_channel(service: Service, api: Api) -> None:
    request = await _report(api, REQUEST)
    outage = await _report(api, OUTAGE)
    records = await service.alert_store.deliveries_for(request["id"])
    assert records
    payload = records[0].delivery.payload
    text = render.markdown(payload, "incident.opened", "zh-CN", with_ack_link=True)
    assert "【服务请求】" in text
    assert "**报告人**：李四" in text
    assert "**渠道**：钉钉" in text
    assert "响应时限" in text
    assert "恢复时限" not in text  # a request has no resolution clock
    english = render.plain(payload, "incident.opened", "en")
    assert "Reported by: 李四" in english
    assert "Channel: DingTalk" in english
    records = await service.alert_store.deliveries_for(outage["id"])
    text = render.markdown(records[0].delivery.payload, "incident.opened", "zh-CN",
                           with_ack_link=True)
    assert "**渠道**：电话" in text
    assert "**报告人**：王科长" in text


async def test_markdown_in_reported_text_is_inert(service: Service, api: Api) -> None:
    body = OUTAGE | {"reported_by": "[点我](http://evil.example)", "summary": "# 标题 **粗**"}
    incident = await _report(api, body)
    records = await service.alert_store.deliveries_for(incident["id"])
    text = render.markdown(records[0].delivery.payload, "incident.opened", "zh-CN",
                           with_ack_link=False)
    assert "](http://evil" not in text
    assert "**报告人**：［点我］(http:\u200b//evil.example)" in text


async def test_bad_bodies(service: Service, api: Api) -> None:
    cases = [
        ({k: v for k, v in OUTAGE.items() if k != "app_id"}, "app_id"),
        (OUTAGE | {"summary": "  "}, "summary"),
        (OUTAGE | {"summary": 5}, "summary"),
        ({k: v for k, v in OUTAGE.items() if k != "reported_by"}, "reported_by"),
        (OUTAGE | {"channel": "fax"}, "channel"),
        ({k: v for k, v in OUTAGE.items() if k != "channel"}, "channel"),
        (OUTAGE | {"kind": "warning"}, "kind"),
        (OUTAGE | {"reported_by": "名" * 101}, "reported_by"),
    ]
    for body, field in cases:
        status, answer = await api.post("/api/v1/incidents", body)
        assert status == 400, (body, answer)
        assert answer["error"]["field"] == field
    status, answer = await api.post("/api/v1/incidents", [OUTAGE])
    assert status == 400
    status, answer = await api.post("/api/v1/incidents", OUTAGE | {"app_id": "nope"})
    assert status == 404
    assert answer["error"]["code"] == "not_found"
    status, _ = await api.post("/api/v1/incidents", OUTAGE, token=None)
    assert status == 401
    status, _ = await api.post("/api/v1/incidents", OUTAGE, token="wrong")
    assert status == 401
    assert service.alerts.active == {}


def test_reporter_and_channel_are_stored_and_old_rows_read() -> None:
    incident = Incident(
        id="x", app_id="kq-oa", app_name="OA", check_id="reported",
        severity=Severity.MAJOR, state=IncidentState.OPEN, summary="s", started_at=1.0,
        opened_at=1.0, source="reported", kind=IncidentKind.REQUEST, reported_by="王",
        channel="phone", timeline=(TimelineEntry(1.0, "opened", by="王", note="s"),))
    assert incident_from_json(incident_to_json(incident)) == incident
    old = incident_to_json(incident).replace(',"reported_by":"王","channel":"phone"', "")
    assert "reported_by" not in old
    back = incident_from_json(old)
    assert (back.reported_by, back.channel) == (None, None)
