"""Sessions are the server's: a saved cookie is worthless after sign-out, and after a reload
that removes or changes the token the session was opened with (Hardening, row 1).

Each test performs the attack against the real service: it keeps the session cookie and the
CSRF token a signed-in page carried, ends the session the way an operator would, then replays
both on the incident forms (note, resolve) from a fresh client, and checks nothing happened.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp

from monitor.console.auth import SESSION_COOKIE
from tests.api.conftest import OPS_TOKEN, TOKEN, SetClock, open_incident
from tests.console.signin_support import (
    USER,
    Console,
    Reply,
    csrf_of,
    get_text,
    post_form,
    running_console,
    sign_in,
)
from tests.support.target import write_config


async def signed_in(console: Console, incident_id: str, token: str = TOKEN
                    ) -> tuple[aiohttp.ClientSession, str, str]:
    """A signed-in client, its session cookie and the CSRF token of the incident's page."""
    http = console.client()
    reply = await sign_in(http, console.base, token=token)
    assert reply.status == 303
    [cookie] = reply.cookies(SESSION_COOKIE)
    csrf = await csrf_of(http, f"{console.base}/incidents/{incident_id}")
    return http, cookie["value"], csrf


async def replay(console: Console, cookie: str, csrf: str, incident_id: str) -> list[Reply]:
    """The saved cookie and CSRF token, sent from a client of its own: a note, a resolve."""
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}",
               "Referer": f"{console.base}/incidents/{incident_id}"}
    async with aiohttp.ClientSession() as http:
        return [
            await post_form(http, f"{console.base}/incidents/{incident_id}/note",
                            {"_csrf": csrf, "note": "replayed note"}, headers=headers),
            await post_form(http, f"{console.base}/incidents/{incident_id}/resolve",
                            {"_csrf": csrf, "cause": "replayed", "force": "yes"},
                            headers=headers),
        ]


async def assert_refused(console: Console, cookie: str, replies: list[Reply],
                         incident_id: str) -> None:
    for reply in replies:
        # Back to the sign-in page (then to the incident), as any form without a session.
        assert reply.status == 303, (reply.status, reply.text[:300])
        assert reply.headers["Location"].startswith("/login?next=")
    incident = await console.service.alerts.get(incident_id)
    assert incident.state.value != "resolved"
    notes = [e for e in incident.timeline if e.note == "replayed note"]
    assert notes == []
    async with aiohttp.ClientSession() as http:
        page = await get_text(http, f"{console.base}/incidents/{incident_id}",
                              headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    assert "_csrf" not in page  # the cookie no longer signs anyone in


async def replay_is_refused(console: Console, cookie: str, csrf: str, incident_id: str) -> None:
    await assert_refused(console, cookie, await replay(console, cookie, csrf, incident_id),
                         incident_id)


def config_text(console: Console) -> str:
    return (console.data_dir.parent / "config.yaml").read_text(encoding="utf-8")


async def test_a_cookie_saved_before_sign_out_does_not_work_after(console: Console,
                                                                  clock: SetClock) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    http, cookie, csrf = await signed_in(console, incident_id)
    async with http:
        # The saved cookie works while signed in (from another client, too).
        async with aiohttp.ClientSession() as other:
            page = await get_text(other, f"{console.base}/incidents/{incident_id}",
                                  headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
            assert USER in page
        reply = await post_form(http, f"{console.base}/logout", {"_csrf": csrf})
        assert (reply.status, reply.headers["Location"]) == (303, "/")
    assert len(console.service.state.sessions) == 0
    await replay_is_refused(console, cookie, csrf, incident_id)


async def test_removing_a_token_ends_its_sessions_at_reload(tmp_path: Path,
                                                            console: Console,
                                                            clock: SetClock) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    http, cookie, csrf = await signed_in(console, incident_id)
    ops_http, ops_cookie, ops_csrf = await signed_in(console, incident_id, token=OPS_TOKEN)
    async with http, ops_http:
        text = config_text(console)
        without = text.replace(f'    - name: "oncall"\n      token: "{TOKEN}"\n', "")
        assert without != text
        assert await console.service.reload(write_config(tmp_path, without))
        assert len(console.service.state.sessions) == 1  # ended at once, not at next use
        await replay_is_refused(console, cookie, csrf, incident_id)
        # The other token's session goes on: its note is taken.
        reply = await post_form(ops_http, f"{console.base}/incidents/{incident_id}/note",
                                {"_csrf": ops_csrf, "note": "still here"})
        assert reply.status == 303
        assert reply.headers["Location"].endswith("?done=note")
    assert ops_cookie != cookie


async def test_changing_a_token_ends_its_sessions_at_reload(tmp_path: Path,
                                                            console: Console,
                                                            clock: SetClock) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    http, cookie, csrf = await signed_in(console, incident_id)
    async with http:
        text = config_text(console)
        changed = text.replace(f'token: "{TOKEN}"', 'token: "tok-oncall-rotated-77e1d0"')
        assert changed != text
        assert await console.service.reload(write_config(tmp_path, changed))
        await replay_is_refused(console, cookie, csrf, incident_id)
        # The browser that held it is signed out too, and the new token signs in again.
        page = await get_text(http, f"{console.base}/incidents/{incident_id}")
        assert "_csrf" not in page
        reply = await sign_in(http, console.base, token="tok-oncall-rotated-77e1d0")
        assert reply.status == 303


async def test_an_unchanged_reload_keeps_sessions(tmp_path: Path, console: Console,
                                                  clock: SetClock) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    http, _cookie, csrf = await signed_in(console, incident_id)
    async with http:
        assert await console.service.reload(write_config(tmp_path, config_text(console)))
        reply = await post_form(http, f"{console.base}/incidents/{incident_id}/note",
                                {"_csrf": csrf, "note": "kept"})
        assert reply.status == 303
        assert reply.headers["Location"].endswith("?done=note")


async def test_sessions_expire_as_before(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, session_ttl="2h") as console:
        incident_id = await open_incident(console.service, console.target, clock)
        http, cookie, csrf = await signed_in(console, incident_id)
        async with http:
            clock.advance(2 * 3600 + 1)
            await replay_is_refused(console, cookie, csrf, incident_id)
        assert len(console.service.state.sessions) == 0  # the expired one is gone
