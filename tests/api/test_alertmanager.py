"""POST /api/v1/alertmanager with Alertmanager's own webhook JSON (version 4)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import aiohttp
import pytest

from monitor.api.alertmanager import check_id_for, parse_time
from monitor.api.signedbody import sign
from monitor.service import Service
from tests.api.conftest import AM_SECRET, OPS_TOKEN, Api, SetClock, StartService
from tests.support.receivers import WebhookReceiver

PATH = "/api/v1/alertmanager"
STARTS = "2025-11-24T15:58:30.123456789Z"  # 2025-11-24 23:58:30+08:00, 90 s before T0


def alert(status: str = "firing", *, app: str | None = "kq-oa",
          alertname: str = "HighErrorRate", instance: str = "10.0.0.1:9100",
          summary: str | None = "5xx 比例超过 5%", starts: str = STARTS) -> dict[str, Any]:
    labels = {"alertname": alertname, "instance": instance, "job": "nginx",
              "severity": "critical"}
    if app is not None:
        labels["app"] = app
    annotations = {"description": "nginx 5xx rate above 5% for 5 minutes"}
    if summary is not None:
        annotations["summary"] = summary
    return {
        "status": status, "labels": labels, "annotations": annotations, "startsAt": starts,
        "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else "2025-11-24T16:10:00Z",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=rate%28nginx_5xx%5B5m%5D%29",
        "fingerprint": "c3b5ab1e2d9f0a77",
    }


def signed(raw: bytes, *, at: int | None = None, secret: str = AM_SECRET) -> dict[str, str]:
    """The headers a signing proxy adds: the time and the HMAC over time and body."""
    stamp = int(time.time()) if at is None else at
    return {"X-Monitor-Timestamp": str(stamp), "X-Monitor-Signature": sign(secret, stamp, raw),
            "Content-Type": "application/json"}


def notification(*alerts: Any) -> dict[str, Any]:
    """The envelope Alertmanager v0.27 posts to a webhook receiver."""
    status = "firing" if any(isinstance(a, dict) and a.get("status") == "firing"
                             for a in alerts) else "resolved"
    return {
        "version": "4", "groupKey": '{}/{app="kq-oa"}:{alertname="HighErrorRate"}',
        "truncatedAlerts": 0, "status": status, "receiver": "appmon",
        "groupLabels": {"alertname": "HighErrorRate"},
        "commonLabels": {"alertname": "HighErrorRate", "app": "kq-oa"},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }


async def test_firing_opens_at_once_and_resolved_resolves(
    service: Service, api: Api, hook: WebhookReceiver, clock: SetClock
) -> None:
    status, body = await api.post(PATH, notification(alert()))
    assert status == 200
    assert body["accepted"] == 1
    assert body["skipped"] == []
    [incident_id] = body["incidents"]

    _, incident = await api.get(f"/api/v1/incidents/{incident_id}")
    assert incident["state"] == "open"
    assert incident["source"] == "alertmanager"
    assert incident["app_id"] == "kq-oa"
    assert incident["app_name"] == "柯桥区协同办公"
    assert incident["check_id"] == "am-higherrorrate"
    assert incident["summary"] == "5xx 比例超过 5%"
    assert incident["started_at"] == "2025-11-24T23:58:30+08:00"  # startsAt, not receipt time
    assert incident["opened_at"] == "2025-11-25T00:00:00+08:00"
    await service.outbox.run_once()
    assert [r.body["event"] for r in hook.received] == ["incident.opened"]

    # Alertmanager repeats a firing group: still one incident.
    clock.advance(300)
    status, body = await api.post(PATH, notification(alert()))
    assert (status, body["incidents"]) == (200, [incident_id])
    _, listed = await api.get("/api/v1/incidents")
    assert [i["id"] for i in listed["incidents"]] == [incident_id]

    clock.advance(300)
    status, body = await api.post(PATH, notification(alert("resolved")))
    assert status == 200
    assert body == {"accepted": 1, "skipped": [], "incidents": [incident_id]}
    _, incident = await api.get(f"/api/v1/incidents/{incident_id}")
    assert incident["state"] == "resolved"
    assert incident["auto_resolved"] is True
    assert incident["resolution_seconds"] == 600.0
    await service.outbox.run_once()
    assert [r.body["event"] for r in hook.received] == ["incident.opened", "incident.resolved"]


async def test_one_instance_resolving_does_not_resolve_a_still_firing_pair(api: Api) -> None:
    status, body = await api.post(PATH, notification(
        alert(instance="10.0.0.1:9100"), alert("resolved", instance="10.0.0.2:9100")))
    assert (status, body["accepted"]) == (200, 2)
    [incident_id] = body["incidents"]
    _, incident = await api.get(f"/api/v1/incidents/{incident_id}")
    assert incident["state"] == "open"


async def test_bearer_token_and_hmac_both_authenticate(api: Api, service: Service) -> None:
    raw = json.dumps(notification(alert(alertname="DiskFull")), ensure_ascii=False).encode()
    status, body = await api.post(PATH, token=None, data=raw, headers=signed(raw))
    assert (status, body["accepted"]) == (200, 1)
    status, body = await api.post(PATH, notification(alert(alertname="Latency")),
                                  token=OPS_TOKEN)
    assert (status, body["accepted"]) == (200, 1)
    assert {i.check_id for i in service.alerts.active.values()} == {"am-diskfull", "am-latency"}


async def test_neither_token_nor_signature_is_401_and_opens_nothing(
    api: Api, service: Service
) -> None:
    raw = json.dumps(notification(alert())).encode()
    wrong = "sha256=" + hmac.new(b"not-the-secret", raw, hashlib.sha256).hexdigest()
    good_for_other_body = "sha256=" + hmac.new(AM_SECRET.encode(), raw + b" ",
                                               hashlib.sha256).hexdigest()
    now = int(time.time())
    attempts: list[dict[str, Any]] = [
        {"token": None},
        {"token": "wrong"},
        {"token": None, "headers": {"X-Monitor-Signature": wrong}},
        {"token": None, "headers": {"X-Monitor-Signature": good_for_other_body}},
        {"token": None, "headers": {"X-Monitor-Signature": "sha256="}},
        # The old form, an HMAC over the body alone, can be replayed for ever: refused.
        {"token": None, "headers": {"X-Monitor-Signature": "sha256=" + hmac.new(
            AM_SECRET.encode(), raw, hashlib.sha256).hexdigest()}},
        {"token": None, "headers": signed(raw, secret="not-the-secret")},
        {"token": None, "headers": signed(raw, at=now - 3600)},  # an hour old
        {"token": None, "headers": {**signed(raw), "X-Monitor-Timestamp": "é"}},
    ]
    for attempt in attempts:
        headers = {"Content-Type": "application/json", **attempt.get("headers", {})}
        status, body = await api.post(PATH, token=attempt["token"], data=raw, headers=headers)
        assert status == 401, attempt
        assert body["error"]["code"] == "unauthorized"
    assert service.alerts.active == {}
    _, listed = await api.get("/api/v1/incidents")
    assert listed == {"incidents": []}


async def test_a_signed_request_replayed_is_refused(api: Api, service: Service) -> None:
    raw = json.dumps(notification(alert(alertname="DiskFull"))).encode()
    headers = signed(raw)
    status, _ = await api.post(PATH, token=None, data=raw, headers=headers)
    assert status == 200
    await service.alerts.resolve(next(iter(service.alerts.active)), "李四", None, None,
                                 force=True)
    # The same bytes sent again (a captured request): refused, nothing reopens.
    status, body = await api.post(PATH, token=None, data=raw, headers=headers)
    assert status == 401
    assert "replay" in body["error"]["message"]
    assert service.alerts.active == {}


async def test_unknown_or_unlabelled_apps_are_skipped_and_reported(
    api: Api, service: Service
) -> None:
    status, body = await api.post(PATH, notification(
        alert(app="no-such-app"), alert(app=None), alert(alertname="Fine"),
        {"status": "pending", "labels": {"app": "kq-oa", "alertname": "X"}}, "junk"))
    # An unknown app is the sender's mistake: 422 naming it, so Alertmanager counts and logs
    # a failed notification; the alerts that could be used are used all the same.
    assert status == 422
    assert body["error"]["code"] == "unknown_app"
    assert "no-such-app" in body["error"]["message"]
    assert body["accepted"] == 1
    assert [s["index"] for s in body["skipped"]] == [0, 1, 3, 4]
    reasons = [s["reason"] for s in body["skipped"]]
    assert "no-such-app" in reasons[0]
    assert "'app'" in reasons[1]
    assert "status" in reasons[2]
    assert len(body["incidents"]) == 1
    assert [i.app_id for i in service.alerts.active.values()] == ["kq-oa"]
    async with api.http.get(f"{api.base}/metrics") as resp:
        metrics = await resp.text()
    assert 'appmon_alertmanager_alerts_skipped_total{reason="unknown_app"} 1.0' in metrics
    assert 'appmon_alertmanager_alerts_skipped_total{reason="malformed"} 2.0' in metrics


async def test_an_app_id_in_the_wrong_case_is_refused_visibly(api: Api) -> None:
    status, body = await api.post(PATH, notification(alert(app="KQ-OA")))
    assert status == 422
    assert "KQ-OA" in body["error"]["message"]


async def test_bad_bodies_are_400(api: Api) -> None:
    for raw in (b"{nope", b"", b"[]", b'{"alerts": {}}'):
        status, body = await api.post(PATH, data=raw,
                                      headers={"Content-Type": "application/json"})
        assert status == 400, raw
        assert body["error"]["code"] == "bad_request"


async def test_summary_falls_back_to_description_then_alertname(api: Api) -> None:
    no_summary = alert(alertname="NoSummary", summary=None)
    bare = alert(alertname="Bare", summary=None)
    bare["annotations"] = {}
    status, body = await api.post(PATH, notification(no_summary, bare))
    assert status == 200
    summaries = set()
    for incident_id in body["incidents"]:
        _, incident = await api.get(f"/api/v1/incidents/{incident_id}")
        summaries.add(incident["summary"])
    assert summaries == {"nginx 5xx rate above 5% for 5 minutes", "Bare"}


@pytest.mark.parametrize(("label", "check_id"), [
    ("HighErrorRate", "am-higherrorrate"),
    ("Disk_Full:root", "am-disk-full-root"),
    ("--x--", "am-x"),
    ("磁盘满", "am-" + hashlib.sha256("磁盘满".encode()).hexdigest()[:12]),
    ("A" * 100, "am-" + "a" * 60),
])
def test_check_ids_are_sanitised(label: str, check_id: str) -> None:
    assert check_id_for(label) == check_id


def test_times_as_alertmanager_writes_them() -> None:
    assert parse_time(STARTS) == pytest.approx(1_763_999_910.123456)
    assert parse_time("0001-01-01T00:00:00Z") is None
    assert parse_time("garbage") is None
    assert parse_time(None) is None


async def test_signature_is_refused_when_no_hmac_secret_is_configured(
    start_service: StartService,
) -> None:
    service = await start_service(am_secret=None)
    raw = json.dumps(notification(alert())).encode()
    async with aiohttp.ClientSession() as http:
        api = Api(http, f"http://127.0.0.1:{service.bound_port}")
        status, body = await api.post(PATH, token=None, data=raw, headers=signed(raw))
        assert status == 401
        assert "X-Monitor-Signature" not in body["error"]["message"]  # not offered either
        status, _ = await api.post(PATH, notification(alert()))  # tokens still work
        assert status == 200
