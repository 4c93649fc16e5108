"""The incident API of CONTRACT.md §3 against a real service, app and webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json

import structlog

from monitor.service import Service
from tests.api.conftest import (
    HOOK_SECRET,
    OPS_TOKEN,
    TOKEN,
    Api,
    SetClock,
    open_incident,
    run_checks,
)
from tests.support.clocks import T0
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target


def events(hook: WebhookReceiver) -> list[str]:
    return [r.body["event"] for r in hook.received]


async def test_outage_to_resolution_end_to_end(
    service: Service, api: Api, target: Target, hook: WebhookReceiver, clock: SetClock
) -> None:
    target.status = 503
    await run_checks(service)  # first failed run at T0: not yet an incident (confirm 2)
    status, body = await api.get("/api/v1/incidents")
    assert (status, body) == (200, {"incidents": []})

    clock.advance(60)
    await run_checks(service)  # second failed run: opened at T0+60
    status, body = await api.get("/api/v1/incidents?state=open")
    assert status == 200
    [incident] = body["incidents"]
    assert incident["app_id"] == "kq-oa"
    assert incident["app_name"] == "柯桥区协同办公"
    assert incident["check_id"] == "home"
    assert incident["state"] == "open"
    assert incident["severity"] == "critical"  # tier 1
    assert incident["started_at"] == "2025-11-25T00:00:00+08:00"  # the first failed run
    assert incident["opened_at"] == "2025-11-25T00:01:00+08:00"
    assert incident["acknowledged_at"] is None
    assert incident["response_seconds"] is None
    assert "503" in incident["summary"]
    incident_id = incident["id"]

    assert await service.outbox.run_once() == 1
    [opened] = hook.received
    assert opened.body["event"] == "incident.opened"
    assert opened.body["incident"]["id"] == incident_id
    expected = "sha256=" + hmac.new(HOOK_SECRET.encode(), opened.raw, hashlib.sha256).hexdigest()
    assert opened.headers["X-Monitor-Signature"] == expected
    assert hook.bad_signatures == 0
    delivery_id = opened.headers["X-Monitor-Delivery"]

    clock.advance(120)
    status, acked = await api.post(f"/api/v1/incidents/{incident_id}/ack",
                                   {"by": "张三", "note": "正在排查"})
    assert status == 200
    assert acked["state"] == "acknowledged"
    assert acked["acknowledged_by"] == "张三"
    assert acked["acknowledged_at"] == "2025-11-25T00:03:00+08:00"
    assert acked["response_seconds"] == 120.0
    assert acked["response_breached"] is False
    await service.outbox.run_once()
    assert events(hook) == ["incident.opened", "incident.acknowledged"]

    target.status = 200
    clock.advance(60)
    await run_checks(service)  # one pass: still acknowledged (recover 2)
    status, body = await api.get(f"/api/v1/incidents/{incident_id}")
    assert body["state"] == "acknowledged"
    clock.advance(60)
    await run_checks(service)
    status, done = await api.get(f"/api/v1/incidents/{incident_id}")
    assert status == 200
    assert done["state"] == "resolved"
    assert done["auto_resolved"] is True
    assert done["resolved_at"] == "2025-11-25T00:05:00+08:00"
    assert done["resolution_seconds"] == 240.0
    assert done["response_seconds"] == 120.0
    types = [entry["type"] for entry in done["timeline"]]
    assert types[:3] == ["first_failure", "opened", "acknowledged"]
    assert "resolved" in types
    ack_entry = next(e for e in done["timeline"] if e["type"] == "acknowledged")
    assert ack_entry == {"at": "2025-11-25T00:03:00+08:00", "type": "acknowledged",
                         "by": "张三", "note": "正在排查"}

    await service.outbox.run_once()
    assert events(hook) == ["incident.opened", "incident.acknowledged", "incident.resolved"]
    assert hook.received[2].body["incident"]["resolution_seconds"] == 240.0
    assert hook.bad_signatures == 0
    assert len(set(hook.delivery_ids)) == 3

    status, done = await api.get(f"/api/v1/incidents/{incident_id}")
    deliveries = {d["event"]: d for d in done["deliveries"]}
    assert set(deliveries) == {"incident.opened", "incident.acknowledged", "incident.resolved"}
    assert deliveries["incident.opened"]["id"] == delivery_id
    assert all(d["state"] == "sent" and d["notifier"] == "hook" and d["attempts"] == 1
               and d["last_error"] is None and d["sent_at"].endswith("+08:00")
               for d in done["deliveries"])
    status, body = await api.get("/api/v1/incidents?state=resolved")
    assert [i["id"] for i in body["incidents"]] == [incident_id]
    metrics = service.metrics.exposition().decode()
    for line in ('appmon_incidents_open{severity="critical"} 0.0',
                 'appmon_incidents_opened_total{severity="critical"} 1.0',
                 'appmon_incident_response_seconds_sum{severity="critical"} 120.0',
                 'appmon_incident_resolution_seconds_sum{severity="critical"} 240.0',
                 'appmon_notification_deliveries_total{channel="webhook",notifier="hook"} 3.0'):
        assert line in metrics


async def test_state_changes_need_a_valid_token(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    path = f"/api/v1/incidents/{incident_id}"
    for token in (None, "wrong-token", "", OPS_TOKEN + "x"):
        for action, body in (("ack", {"by": "mallory"}),
                             ("resolve", {"by": "mallory", "cause": "x"}),
                             ("notes", {"by": "mallory", "note": "x"})):
            status, error = await api.post(f"{path}/{action}", body, token=token)
            assert status == 401, (action, token)
            assert error["error"]["code"] == "unauthorized"
            assert error["error"]["message"]
    # A non-Bearer scheme carrying a valid token is refused too.
    status, _ = await api.post(f"{path}/ack", {"by": "m"}, token=None,
                               headers={"Authorization": f"Basic {OPS_TOKEN}"})
    assert status == 401
    status, body = await api.get(path)
    assert body["state"] == "open"
    assert body["acknowledged_by"] is None
    assert [e["type"] for e in body["timeline"]] == ["first_failure", "opened"]
    # The second configured token works as well.
    status, body = await api.post(f"{path}/ack", {"by": "李四"}, token=OPS_TOKEN)
    assert (status, body["acknowledged_by"]) == (200, "李四")


async def test_unauthorized_ack_on_unknown_incident_is_401_not_404(api: Api) -> None:
    status, _ = await api.post("/api/v1/incidents/nope/ack", {"by": "x"}, token=None)
    assert status == 401


async def test_ack_twice_keeps_the_first(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    clock.advance(30)
    status, first = await api.post(f"/api/v1/incidents/{incident_id}/ack", {"by": "张三"})
    assert status == 200
    clock.advance(30)
    status, second = await api.post(f"/api/v1/incidents/{incident_id}/ack",
                                    {"by": "李四", "note": "我也来"})
    assert status == 200
    assert second["acknowledged_by"] == "张三"
    assert second["acknowledged_at"] == first["acknowledged_at"]
    assert second["response_seconds"] == 30.0
    assert [e["type"] for e in second["timeline"]].count("acknowledged") == 1


async def test_resolved_incident_refuses_ack_but_takes_notes(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    path = f"/api/v1/incidents/{incident_id}"
    clock.advance(600)
    # The check still fails: a resolve would reopen at its next run, so it must be forced.
    body = {"by": "王五", "cause": "数据库连接池耗尽", "note": "已扩容"}
    status, refused = await api.post(f"{path}/resolve", body)
    assert status == 409
    assert refused["error"]["code"] == "check_failing"
    assert "状态码 503（期望 2xx）" in refused["error"]["message"]
    assert '"force": true' in refused["error"]["message"]
    status, bad = await api.post(f"{path}/resolve", {**body, "force": "yes"})
    assert (status, bad["error"]["code"]) == (400, "bad_request")
    status, still = await api.get(path)
    assert still["state"] == "open"  # refused requests changed nothing
    status, resolved = await api.post(f"{path}/resolve", {**body, "force": True})
    assert status == 200
    assert resolved["state"] == "resolved"
    assert resolved["resolved_by"] == "王五"
    assert resolved["auto_resolved"] is False
    assert resolved["cause"] == "数据库连接池耗尽"
    assert resolved["resolution_seconds"] == 600.0
    assert resolved["acknowledged_at"] is None

    status, error = await api.post(f"{path}/ack", {"by": "张三"})
    assert status == 409
    assert error["error"]["code"] == "conflict"
    assert incident_id in error["error"]["message"]

    status, noted = await api.post(f"{path}/notes", {"by": "王五", "note": "复盘：增加监控"})
    assert status == 200
    assert noted["timeline"][-1]["type"] == "note"
    assert noted["timeline"][-1]["note"] == "复盘：增加监控"
    assert noted["state"] == "resolved"
    status, body = await api.get(path)
    assert body["acknowledged_by"] is None
    assert body["timeline"][-1]["by"] == "王五"


async def test_unknown_incident_is_404(api: Api) -> None:
    status, error = await api.get("/api/v1/incidents/20250101000000-nope-home")
    assert status == 404
    assert error["error"]["code"] == "not_found"
    for action, body in (("ack", {"by": "x"}), ("resolve", {"by": "x"}),
                         ("notes", {"by": "x", "note": "y"})):
        status, error = await api.post(f"/api/v1/incidents/nope/{action}", body)
        assert status == 404, action
        assert error["error"]["code"] == "not_found"


async def test_bad_bodies_are_400_naming_the_field(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    path = f"/api/v1/incidents/{incident_id}"
    cases = [
        ("ack", {"note": "no name"}, "by"),
        ("ack", {"by": "   "}, "by"),
        ("ack", {"by": 42}, "by"),
        ("ack", {"by": "张三", "note": ["x"]}, "note"),
        ("resolve", {"cause": "x"}, "by"),
        ("notes", {"by": "张三"}, "note"),
        ("notes", {"note": "x"}, "by"),
    ]
    for action, body, field in cases:
        status, error = await api.post(f"{path}/{action}", body)
        assert status == 400, (action, body)
        assert error["error"]["code"] == "bad_request"
        assert f"'{field}'" in error["error"]["message"]
        assert error["error"]["field"] == field
    for raw in (b"{not json", b"", b"[1, 2]"):
        status, error = await api.post(f"{path}/ack", data=raw,
                                       headers={"Content-Type": "application/json"})
        assert status == 400, raw
        assert error["error"]["code"] == "bad_request"
    status, body = await api.get(path)
    assert body["state"] == "open"


async def test_state_filter_and_newest_first(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    first = await open_incident(service, target, clock, "kq-oa")
    clock.advance(60)
    second = await open_incident(service, target, clock, "kq-jczz")
    await api.post(f"/api/v1/incidents/{first}/ack", {"by": "张三"})

    status, body = await api.get("/api/v1/incidents")
    assert status == 200
    assert [i["id"] for i in body["incidents"]] == [second, first]  # newest first
    assert "timeline" not in body["incidents"][0]
    _, body = await api.get("/api/v1/incidents?state=open")
    assert [i["id"] for i in body["incidents"]] == [second]
    assert body["incidents"][0]["severity"] == "major"  # tier 2
    _, body = await api.get("/api/v1/incidents?state=acknowledged")
    assert [i["id"] for i in body["incidents"]] == [first]
    _, body = await api.get("/api/v1/incidents?state=resolved")
    assert body == {"incidents": []}
    status, error = await api.get("/api/v1/incidents?state=closed")
    assert status == 400
    assert error["error"]["code"] == "bad_request"
    assert "state" in error["error"]["message"]


async def test_reading_needs_no_token_and_times_carry_the_offset(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    async with api.http.get(f"{api.base}/api/v1/incidents/{incident_id}") as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        raw = await resp.read()
    assert "柯桥区协同办公".encode() in raw  # readable, not \\u-escaped
    body = json.loads(raw)
    assert body["opened_at"] == "2025-11-25T00:01:00+08:00"
    assert body["timeline"][0] == {"at": "2025-11-25T00:00:00+08:00", "type": "first_failure",
                                   "note": body["summary"]}
    assert T0  # the fake clock's start is the first failed run


async def test_the_log_names_the_actor_never_the_token(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    with structlog.testing.capture_logs() as logs:
        await api.post(f"/api/v1/incidents/{incident_id}/ack", {"by": "x"}, token="guess-123")
        status, _ = await api.post(f"/api/v1/incidents/{incident_id}/ack", {"by": "张三"})
    assert status == 200
    [acked] = [e for e in logs if e["event"] == "api_incident_acknowledged"]
    assert acked["actor"] == "oncall"
    assert acked["by"] == "张三"
    assert TOKEN not in repr(logs)
    assert "guess-123" not in repr(logs)
