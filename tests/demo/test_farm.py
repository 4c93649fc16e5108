"""The demo farm: every simulated app behaves as monitor/demo/demo.yaml expects it to."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import ssl
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from cryptography import x509

from monitor.demo import Farm, start_farm
from monitor.demo.farm import GATEWAY_APPS, MAIL_BANNER, TODO_ITEMS

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "monitor" / "demo" / "demo.yaml"
SET_BY_DEMO_COMMAND = {"DEMO_LISTEN_PORT", "DEMO_DATA_DIR", "DEMO_API_TOKEN", "DEMO_ROBOT_TOKEN",
                       "DEMO_ROBOT_SECRET", "DEMO_ONCALL_START", "DEMO_ONCALL_HANDOVER"}
OUTAGE_AFTER_S = 1.0
OUTAGE_FOR_S = 2.0


@pytest.fixture
async def farm(tmp_path: Path) -> AsyncIterator[Farm]:
    farm = await start_farm(
        work_dir=tmp_path, outage_after_s=OUTAGE_AFTER_S, outage_for_s=OUTAGE_FOR_S
    )
    yield farm
    await farm.close()


def url(farm: Farm, path: str) -> str:
    return farm.env()["DEMO_HTTP_BASE"] + path


async def fetch(session: aiohttp.ClientSession, target: str, **kwargs: Any) -> tuple[int, str]:
    async with session.get(target, **kwargs) as response:
        return response.status, await response.text()


async def test_healthy_app_has_home_page_and_json_health(farm: Farm) -> None:
    async with aiohttp.ClientSession() as session:
        status, home = await fetch(session, url(farm, "/oa/"))
        assert status == 200
        assert "柯桥" in home
        async with session.get(url(farm, "/oa/health")) as response:
            assert response.status == 200
            assert (await response.json())["status"] == "UP"
            assert "柯桥" in await response.text()  # literal, not \\u-escaped


async def test_slow_app_answers_after_two_seconds(farm: Farm) -> None:
    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        status, _ = await fetch(session, url(farm, "/zlb/health"))
        elapsed = time.monotonic() - started
    assert status == 200
    assert 2.0 < elapsed < 3.5


async def flaky_statuses(farm: Farm, count: int) -> list[int]:
    async with aiohttp.ClientSession() as session:
        return [(await fetch(session, url(farm, "/jczz/health")))[0] for _ in range(count)]


async def test_flaky_app_fails_about_a_third_deterministically(farm: Farm, tmp_path: Path) -> None:
    statuses = await flaky_statuses(farm, 60)
    assert set(statuses) <= {200, 500, 503}
    assert 8 <= sum(status != 200 for status in statuses) <= 30
    twin = await start_farm(work_dir=tmp_path / "twin")
    try:
        assert await flaky_statuses(twin, 60) == statuses  # same seed, same failures
    finally:
        await twin.close()


async def test_wrong_content_app_shows_maintenance_page(farm: Farm) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/jkkq/", "/jkkq/health"):
            status, body = await fetch(session, url(farm, path))
            assert status == 200
            assert "系统维护中" in body
            assert "柯桥" not in body


async def test_outage_app_fails_in_its_window_then_recovers(farm: Farm) -> None:
    started = time.monotonic()  # the farm's outage clock started a moment earlier
    target = url(farm, "/qym/health")
    async with aiohttp.ClientSession() as session:
        assert (await fetch(session, target))[0] == 200
        await asyncio.sleep(OUTAGE_AFTER_S + 0.3)
        async with session.get(target) as response:
            assert response.status == 503
            assert "服务暂不可用" in await response.text()
            assert response.headers["Retry-After"]
        await asyncio.sleep(started + OUTAGE_AFTER_S + OUTAGE_FOR_S + 0.3 - time.monotonic())
        assert (await fetch(session, target))[0] == 200


async def test_tls_app_certificate_verifies_and_expires_in_ten_days(farm: Farm) -> None:
    ctx = ssl.create_default_context(cafile=farm.env()["DEMO_CA_FILE"])
    _, writer = await asyncio.open_connection(farm.host, farm.tls_port, ssl=ctx)
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
    cert = x509.load_der_x509_certificate(der)
    days_left = (cert.not_valid_after_utc - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    assert 9.9 < days_left <= 10.0
    async with aiohttp.ClientSession() as session:
        status, body = await fetch(session, farm.env()["DEMO_HTTPS_BASE"] + "/health", ssl=ctx)
        assert status == 200
        assert '"UP"' in body
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await fetch(session, farm.env()["DEMO_HTTPS_BASE"] + "/")  # demo CA not trusted


async def test_mail_service_sends_banner_and_talks_smtp(farm: Farm) -> None:
    reader, writer = await asyncio.open_connection(farm.host, farm.tcp_port)
    try:
        assert await reader.readline() == MAIL_BANNER
        writer.write(b"EHLO monitor\r\n")
        assert (await reader.readline()).startswith(b"250 ")
        writer.write(b"QUIT\r\n")
        assert (await reader.readline()).startswith(b"221 ")
        assert await reader.read() == b""  # the server hangs up after QUIT
    finally:
        writer.close()


async def test_approval_flow_login_todo_logout(farm: Farm) -> None:
    api = url(farm, "/spsp/api")
    credentials = {"user": farm.flow_user, "password": farm.flow_password}
    # unsafe=True: the standard cookie jar ignores cookies from IP-address hosts.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.post(f"{api}/login", json={**credentials, "password": "x"}) as bad:
            assert bad.status == 401
        assert (await fetch(session, f"{api}/todo"))[0] == 401  # no token
        async with session.post(f"{api}/login", json=credentials) as login:
            assert login.status == 200
            token = (await login.json())["token"]
        auth = {"Authorization": f"Bearer {token}"}
        async with session.get(f"{api}/todo", headers=auth) as todo:
            assert todo.status == 200
            assert (await todo.json())["count"] == len(TODO_ITEMS)
        async with session.post(f"{api}/logout", headers=auth) as logout:
            assert logout.status == 200
        assert (await fetch(session, f"{api}/todo", headers=auth))[0] == 401


async def test_approval_flow_needs_the_session_cookie_too(farm: Farm) -> None:
    api = url(farm, "/spsp/api")
    credentials = {"user": farm.flow_user, "password": farm.flow_password}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        async with session.post(f"{api}/login", json=credentials) as login:
            token = (await login.json())["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert (await fetch(session, f"{api}/todo", headers=auth))[0] == 401


async def test_describe_lists_every_app_with_a_reachable_url(farm: Farm) -> None:
    rows = farm.describe()
    assert len(rows) == 9 + len(GATEWAY_APPS)
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name, _ in rows)
    ctx = ssl.create_default_context(cafile=farm.env()["DEMO_CA_FILE"])
    async with aiohttp.ClientSession() as session:
        for _, target in rows:
            if target.startswith("http"):
                status, _ = await fetch(session, target, ssl=ctx)
                assert status != 404, target


def demo_config_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", DEMO_CONFIG.read_text("utf-8")))


async def test_demo_config_uses_only_variables_the_demo_provides(farm: Farm) -> None:
    provided = set(farm.env()) | SET_BY_DEMO_COMMAND
    assert demo_config_variables() <= provided
    assert all(isinstance(value, str) and value for value in farm.env().values())


def substituted_config(env: dict[str, str]) -> dict[str, Any]:
    text = DEMO_CONFIG.read_text("utf-8")
    text = re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], text)
    config: dict[str, Any] = yaml.safe_load(text)
    return config


async def test_demo_config_http_checks_point_at_farm_routes(farm: Farm) -> None:
    env = {**farm.env(), "DEMO_LISTEN_PORT": "1", "DEMO_DATA_DIR": "/tmp", "DEMO_API_TOKEN": "t",
           "DEMO_ROBOT_TOKEN": "r", "DEMO_ROBOT_SECRET": "SECr", "DEMO_ONCALL_START": "2026-12-07",
           "DEMO_ONCALL_HANDOVER": "09:03"}
    config = substituted_config(env)
    checks = [check for app in config["apps"] for check in app["checks"]]
    assert {check["kind"] for check in checks} == {"http", "tls", "tcp", "flow"}
    http_urls = [check["url"] for check in checks if check["kind"] == "http"]
    ctx = ssl.create_default_context(cafile=farm.env()["DEMO_CA_FILE"])
    async with aiohttp.ClientSession() as session:
        statuses = await asyncio.gather(*(fetch(session, u, ssl=ctx) for u in http_urls))
    assert all(status != 404 for status, _ in statuses), list(zip(http_urls, statuses, strict=True))
    ports = [check["port"] for check in checks if check["kind"] in ("tls", "tcp")]
    assert sorted(ports) == sorted([farm.tls_port, farm.tcp_port])


async def test_the_gateway_takes_its_apps_down_together_when_triggered(farm: Farm) -> None:
    targets = [url(farm, prefix) for _, prefix in GATEWAY_APPS]
    async with aiohttp.ClientSession() as session:
        assert {(await fetch(session, t))[0] for t in targets} == {200}
        farm.gateway.trigger()
        assert {(await fetch(session, t))[0] for t in targets} == {502}
        assert (await fetch(session, url(farm, "/oa/")))[0] == 200  # others are not behind it
