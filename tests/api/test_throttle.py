"""Guessing tokens is throttled per client (Hardening, row 8): past a few failures, a client
gets 429 with Retry-After until its lock-out ends, while other clients are not slowed at all.

The burst is fired at the real service; the other client connects from another loopback
address (127.0.0.2) so the service sees a different remote.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp

from monitor.api.throttle import FREE_FAILURES, MAX_LOCK_S, Throttle, client_key
from monitor.service import Service
from tests.api.conftest import TOKEN, Api, SetClock, open_incident
from tests.console.signin_support import hidden_fields, post_form
from tests.support.target import Target

BURST = 50


def other_client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=("127.0.0.2", 0)),
        cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_a_burst_of_wrong_api_tokens_is_refused_with_429(
        service: Service, api: Api, target: Target, clock: SetClock) -> None:
    incident_id = await open_incident(service, target, clock)
    path = f"{api.base}/api/v1/incidents/{incident_id}/notes"
    body = {"by": "guesser", "note": "x"}

    async def guess(i: int) -> tuple[int, str | None]:
        headers = {"Authorization": f"Bearer tok-guess-{i:04d}-aaaaaaaa"}
        async with api.http.post(path, json=body, headers=headers) as resp:
            if resp.status == 429:
                assert (await resp.json())["error"]["code"] == "too_many_attempts"
            return resp.status, resp.headers.get("Retry-After")

    started = asyncio.get_running_loop().time()
    answers = await asyncio.gather(*(guess(i) for i in range(BURST)))
    elapsed = asyncio.get_running_loop().time() - started
    statuses = Counter(status for status, _ in answers)
    assert set(statuses) == {401, 429}, statuses
    assert statuses[401] <= FREE_FAILURES + 3, statuses  # a lock-out may end mid-burst
    assert statuses[429] >= BURST - FREE_FAILURES - 3, statuses
    waits = [int(wait) for status, wait in answers if status == 429 and wait is not None]
    assert len(waits) == statuses[429]  # every 429 says when to come back
    assert all(1 <= wait <= MAX_LOCK_S for wait in waits), waits
    assert elapsed < 5, elapsed  # refused at once, nothing held open

    # Now locked out: even the right token is not looked at from this address...
    async with api.http.post(path, json=body,
                             headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
        assert resp.status == 429
    # ...while another client is answered at once.
    async with other_client() as http:
        started = asyncio.get_running_loop().time()
        async with http.post(path, json={"by": "值班员", "note": "正常处理"},
                             headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert resp.status == 200, await resp.text()
        assert asyncio.get_running_loop().time() - started < 2
    incident = await service.alerts.get(incident_id)
    assert [e.by for e in incident.timeline if e.type == "note"] == ["值班员"]


async def test_a_burst_of_wrong_sign_ins_is_refused_with_429(service: Service) -> None:
    base = f"http://127.0.0.1:{service.bound_port}"

    async def attempt(http: aiohttp.ClientSession, token: str) -> tuple[int, str | None, str]:
        async with http.get(f"{base}/login") as resp:
            nonce = hidden_fields(await resp.text())["nonce"]
        reply = await post_form(http, f"{base}/login",
                                {"nonce": nonce, "next": "/", "name": "甲", "token": token})
        return reply.status, reply.headers.get("Retry-After"), reply.text

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        answers = [await attempt(http, f"tok-guess-{i:04d}-bbbbbbbb") for i in range(BURST)]
        statuses = Counter(status for status, _, _ in answers)
        assert statuses[401] <= FREE_FAILURES + 3, statuses
        assert statuses[429] >= BURST - FREE_FAILURES - 3, statuses
        refused = [(wait, page) for status, wait, page in answers if status == 429]
        assert all(wait is not None and 1 <= int(wait) <= MAX_LOCK_S for wait, _ in refused)
        assert all("失败次数过多" in page for _, page in refused)
        status, _, _ = await attempt(http, TOKEN)
        assert status == 429  # locked out: the right token waits its turn too
    async with other_client() as http:
        status, _, _ = await attempt(http, TOKEN)
        assert status == 303  # signed in at once from elsewhere


def test_lock_outs_grow_and_a_success_resets() -> None:
    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    for _ in range(FREE_FAILURES - 1):
        throttle.failed("10.0.0.1")
        assert throttle.retry_after("10.0.0.1") == 0
    locks = []
    for _ in range(10):
        throttle.failed("10.0.0.1")
        locks.append(throttle.retry_after("10.0.0.1"))
        now[0] += 11  # past any lock-out, within the minute
    assert locks == [1, 1, 1, 2, 4, 8, 10, 10, 10, 10]  # 0.25, 0.5, 1, 2, 4, 8, then 10 s
    assert throttle.retry_after("10.0.0.2") == 0  # others are untouched
    throttle.succeeded("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 0
    # A client that stops failing for a minute starts afresh.
    for _ in range(FREE_FAILURES + 2):
        throttle.failed("10.0.0.3")
    now[0] += 61
    throttle.failed("10.0.0.3")
    assert throttle.retry_after("10.0.0.3") == 0


def test_clients_are_counted_by_address_and_ipv6_by_64() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:10.1.2.3") == client_key("10.1.2.3") == "10.1.2.3"
    throttle = Throttle(max_clients=3)
    for i in range(10):
        throttle.failed(f"10.0.0.{i}")
    assert len(throttle) <= 3
