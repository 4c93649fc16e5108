"""People read a check by its name (首页), else by its kind's name (网页), never by its id:
in the webhook payload and the notification it feeds, the phone page, the wall, the incident
report; the id stays in the data for machines."""

from __future__ import annotations

from urllib.parse import urlsplit

from monitor.console.pages.wall.incidents import incident_views
from monitor.reports import build_incident_report
from monitor.reports.incident.jsonview import incident_report_json
from monitor.reports.render import render_incident_html
from monitor.service import Service
from tests.api.conftest import Api, SetClock, StartService, open_incident
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target


async def test_a_named_check_is_called_by_its_name(
    service: Service, api: Api, target: Target, clock: SetClock, hook: WebhookReceiver
) -> None:
    incident_id = await open_incident(service, target, clock)  # kq-oa/home, name 首页
    await service.outbox.run_once()
    [opened] = [r.body for r in hook.received]
    shown = opened["incident"]
    assert (shown["check_id"], shown["check_name"], shown["check_title"]) == (
        "home", "首页", "首页")
    incident = await service.alerts.get(incident_id)
    assert incident.check_title("zh-CN") == "首页"
    ack = urlsplit(service.links.ack_url(incident_id))
    async with api.http.get(f"{api.base}{ack.path}?{ack.query}") as resp:
        assert "柯桥区协同办公 / 首页" in await resp.text()
    report = await build_incident_report(service.config, service.ledger, service.alert_store,
                                         incident_id, clock.now())
    assert report is not None
    assert incident_report_json(report)["basic"]["check_name"] == "首页"
    assert "柯桥区协同办公 / 首页" in render_incident_html(report)
    status, body = await api.get("/api/v1/apps")
    assert status == 200
    apps = {a["id"]: a for a in body["apps"]}
    assert [(c["id"], c["name"], c["title"]) for c in apps["kq-oa"]["checks"]] == [
        ("home", "首页", "首页")]
    assert [(c["name"], c["title"]) for c in apps["kq-jczz"]["checks"]] == [(None, "网页")]


async def test_an_unnamed_check_is_called_by_its_kind(
    start_service: StartService, target: Target, clock: SetClock, hook: WebhookReceiver
) -> None:
    service = await start_service(language="en")
    incident_id = await open_incident(service, target, clock, app_id="kq-jczz")
    await service.outbox.run_once()
    [opened] = [r.body for r in hook.received]
    assert (opened["incident"]["check_name"], opened["incident"]["check_title"]) == (
        None, "Web page")
    [row] = incident_views(service.config, service.alerts.active.values(), clock.now())
    assert (row.id, row.check_id, row.check_title) == (incident_id, "home", "Web page")
