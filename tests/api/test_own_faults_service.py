"""The service never blames an app for its own faults, end to end on real servers: the
connectivity guard, certificate warnings, flapping."""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from monitor.config import load_config
from monitor.reports.monthly.build import build_monthly
from monitor.reports.monthly.jsonview import to_json as monthly_json
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, TOKEN, Api
from tests.support.certs import TestPki
from tests.support.clocks import ManualClock
from tests.support.http_servers import serve_app
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target, write_config


class Switchable:
    """A listener that can be stopped and started on the same port (a guard target, or the
    app farm behind the same cut uplink)."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @staticmethod
    async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()


@pytest.fixture
async def hook() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver(secret=HOOK_SECRET) as receiver:
        yield receiver


def service_yaml(tmp_path: Path, hook: WebhookReceiver, checks: str, extra: str = "") -> str:
    return textwrap.dedent(f"""
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
          api_tokens: [{{name: "oncall", token: "{TOKEN}"}}]
        {extra}
        notifiers:
          - {{id: "hook", kind: "webhook", url: "{hook.url}", hmac_secret: "{HOOK_SECRET}"}}
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            tier: 1
            notify: ["hook"]
            checks:
        """) + textwrap.indent(textwrap.dedent(checks), " " * 6)


async def start(tmp_path: Path, text: str, clock: ManualClock) -> Service:
    service = Service(load_config(write_config(tmp_path, text)), clock=clock, background=False)
    await service.start()
    return service


async def tick(service: Service) -> None:
    """Checks once, then alerting, the SLA clock and the outbox, as the timers would."""
    await service.scheduler.run_once()
    await service.alerts.drain()
    await service.alerts.tick_all()
    await service.outbox.run_once()


def events(hook: WebhookReceiver) -> list[tuple[str, str]]:
    return [(r.body["event"], r.body["incident"]["kind"]) for r in hook.received]


async def test_cut_off_monitor_opens_one_monitor_incident_and_blames_no_app(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    clock = ManualClock()
    guard_target, app_farm = Switchable(), Switchable()
    await guard_target.start()
    await app_farm.start()
    checks = f"""\
        - {{id: "port", kind: "tcp", host: "127.0.0.1", port: {app_farm.port}, interval: "60s",
            confirm: 1}}
        """
    extra = (f'connectivity: {{targets: ["tcp://127.0.0.1:{guard_target.port}"], '
             'interval: "10s", timeout: "1s"}')
    text = service_yaml(tmp_path, hook, checks).replace(
        "service:\n", "service:\n  " + extra + "\n", 1)
    service = await start(tmp_path, text, clock)
    try:
        assert service.guard is not None
        assert await service.guard.run_once()
        await tick(service)
        # The uplink goes: the guard's target and the app farm behind it both stop answering.
        await guard_target.stop()
        await app_farm.stop()
        clock.advance(10)
        assert not await service.guard.run_once()
        for _ in range(3):
            clock.advance(60)
            await tick(service)
        active = list(service.alerts.active.values())
        assert [(i.kind, i.source, i.app_id) for i in active] == [
            ("monitor", "monitor", "_service")]
        assert events(hook) == [("incident.opened", "monitor")]  # every channel was told
        state = service.ledger.check_states()[("kq-oa", "port")]
        assert state.last_unknown
        assert state.consecutive_failures == 0
        async with aiohttp.ClientSession() as http:
            api = Api(http, f"http://127.0.0.1:{service.bound_port}")
            status, body = await api.get("/api/v1/apps")
            assert (status, body["apps"][0]["status"]) == (200, "unknown")
            _, monitor_only = await api.get("/api/v1/incidents?kind=monitor")
            assert [i["kind"] for i in monitor_only["incidents"]] == ["monitor"]
            _, outages = await api.get("/api/v1/incidents?kind=outage")
            assert outages["incidents"] == []
            async with http.get(f"{api.base}/metrics") as resp:
                metrics = await resp.text()
        runs = [line for line in metrics.splitlines() if line.startswith("appmon_probe_runs_total")]
        assert any('outcome="unknown"' in line and line.endswith(" 3.0") for line in runs), runs

        # Back online: the guard passes, the monitor incident resolves, the app is judged again.
        await guard_target.start()
        await app_farm.start()
        clock.advance(10)
        assert await service.guard.run_once()
        await tick(service)
        assert events(hook)[-1] == ("incident.resolved", "monitor")
        assert service.alerts.active == {}
        assert not service.ledger.check_states()[("kq-oa", "port")].last_unknown

        await service.ledger.flush()
        report = await build_monthly(service.config, service.ledger, service.alert_store,
                                     _month(clock.now()), clock.now())
        body = monthly_json(report)
        assert len(body["blind_periods"]) == 1
        app = body["app_details"]["kq-oa"]
        assert app["unknown_probes"] == 3
        assert (body["apps"][0]["failed_probes"], body["apps"][0]["incidents"]) == (0, 0)
    finally:
        await service.stop()


def _month(now: float) -> str:
    return dt.datetime.fromtimestamp(now, dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")


async def test_a_certificate_close_to_expiry_is_a_warning_until_it_expires(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    clock = ManualClock(time.time())  # the certificates' dates are real ones
    pki = TestPki(tmp_path)
    server_ctx = pki.server_context(days_left=10)
    async with serve_app(Target().app(), ssl_context=server_ctx) as base:
        port = base.rsplit(":", 1)[1]
        checks = f"""\
            - {{id: "cert", kind: "tls", host: "127.0.0.1", port: {port},
                ca_file: "{pki.ca_file}", min_days_left: 14, interval: "1h"}}
            """
        service = await start(tmp_path, service_yaml(tmp_path, hook, checks), clock)
        try:
            await tick(service)
            (warning,) = service.alerts.active.values()
            assert warning.kind == "warning"
            clock.advance(3 * 3600)  # well past both SLA limits
            await tick(service)
            (warning,) = service.alerts.active.values()
            assert not warning.response_breached
            assert not warning.resolution_breached
            assert events(hook) == [("incident.opened", "warning")]
            await service.ledger.flush()
            report = monthly_json(await build_monthly(
                service.config, service.ledger, service.alert_store, _month(clock.now()),
                clock.now()))
            assert report["warning_incidents"] == 1
            assert report["apps"][0]["incidents"] == 0
            assert report["apps"][0]["failed_probes"] == 0  # the check was up all along
            assert report["summary"]["incident_figures"]["response_breaches"] == 0

            # The certificate expires (the server now presents an expired one): an outage.
            pki.ca.issue_cert("127.0.0.1", not_before=_ago(30), not_after=_ago(1)
                              ).configure_cert(server_ctx)
            for _ in range(2):
                clock.advance(60)
                await tick(service)
            (outage,) = service.alerts.active.values()
            assert (outage.id, outage.kind) == (warning.id, "outage")
            assert events(hook)[-1] == ("incident.opened", "outage")
        finally:
            await service.stop()


def _ago(days: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


async def test_a_flapping_app_sends_three_messages_not_ten(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    clock = ManualClock()
    target = Target()
    async with serve_app(target.app()) as base:
        checks = f"""\
            - {{id: "home", kind: "http", url: "{base}/health", interval: "1m",
                confirm: 2, recover: 2}}
            """
        service = await start(tmp_path, service_yaml(tmp_path, hook, checks), clock)
        try:
            for mark in "FFPPFFPPFFPPFFPPFFPP":  # 5 outages in 20 minutes
                target.status = 503 if mark == "F" else 200
                clock.advance(60)
                await tick(service)
            assert [e for e, _ in events(hook)] == [
                "incident.opened", "incident.resolved", "incident.opened"]
            (held,) = service.alerts.active.values()
            assert held.flapping
        finally:
            await service.stop()
