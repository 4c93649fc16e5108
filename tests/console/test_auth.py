"""Sign-in to the console, over real HTTP: the token form, the session cookie and its flags,
forged and expired sessions, local-only redirects, CSRF on logout, and console.open_read.

/reports and /login are the pages looked at: the other pages are built elsewhere, and
whatever they show, they go through the same require_read / require_action.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

from monitor.console.auth import LOGIN_COOKIE, SESSION_COOKIE
from tests.api.conftest import OPS_TOKEN, TOKEN, SetClock
from tests.console.signin_support import (
    USER,
    Console,
    csrf_of,
    get_text,
    hidden_fields,
    post_form,
    running_console,
    sign_in,
)

TTL_S = 3600  # session_ttl "1h" in running_console


def login_next(location: str | None) -> str:
    """Where a redirect to the sign-in page will return to (its `next`)."""
    parts = urlsplit(location or "")
    assert parts.path == "/login", location
    return parse_qs(parts.query)["next"][0]


def signed_in_as(page: str) -> str | None:
    """The name the page header shows, or None when it offers to sign in."""
    marker = '<span class="user" data-user>'
    if marker not in page:
        assert "data-signin" in page
        return None
    return page.split(marker, 1)[1].split("</span>", 1)[0]


async def session_cookie(console: Console) -> str:
    async with console.client() as http:
        reply = await sign_in(http, console.base)
        assert reply.status == 303
        return reply.cookies(SESSION_COOKIE)[0]["value"]


async def page_with_cookie(console: Console, cookie: str, path: str = "/reports") -> str:
    async with aiohttp.ClientSession() as http:
        return await get_text(http, console.base + path,
                              headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})


async def test_login_form_sets_a_nonce_cookie(console: Console) -> None:
    async with console.client() as http, http.get(f"{console.base}/login") as resp:
        assert resp.status == 200
        page = await resp.text()
        cookies = [c for c in resp.headers.getall("Set-Cookie") if c.startswith(LOGIN_COOKIE)]
    nonce = hidden_fields(page)["nonce"]
    assert len(nonce) >= 20
    assert cookies == [f"{LOGIN_COOKIE}={nonce}; HttpOnly; Max-Age=3600; Path=/login; "
                       "SameSite=Strict"]
    assert 'type="password"' in page
    assert 'name="token"' in page


async def test_a_wrong_token_is_refused(console: Console) -> None:
    async with console.client() as http:
        reply = await sign_in(http, console.base, token="tok-guessed")
        assert reply.status == 401
        assert "令牌无效" in reply.text
        assert USER in reply.text  # the name typed is kept for the retry; the token is not
        assert "tok-guessed" not in reply.text
        assert reply.cookies(SESSION_COOKIE) == []
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) is None


async def test_a_missing_name_is_refused(console: Console) -> None:
    async with console.client() as http:
        for name in ("", "   "):
            reply = await sign_in(http, console.base, name=name)
            assert reply.status == 400
            assert "请填写姓名" in reply.text
            assert reply.cookies(SESSION_COOKIE) == []


async def test_a_form_without_its_nonce_is_refused(console: Console) -> None:
    """Login CSRF: a form posted from elsewhere has no nonce cookie (or not the same)."""
    form = {"next": "/", "name": USER, "token": TOKEN}
    async with console.client() as http:
        reply = await post_form(http, f"{console.base}/login", {**form, "nonce": "made-up"})
        assert reply.status == 400
        assert "已过期" in reply.text
        await get_text(http, f"{console.base}/login")  # the cookie is set now, but differs
        for nonce in ("made-up", "", "非ASCII"):
            reply = await post_form(http, f"{console.base}/login", {**form, "nonce": nonce})
            assert reply.status == 400, nonce
            assert reply.cookies(SESSION_COOKIE) == []


async def test_a_good_token_signs_in(console: Console) -> None:
    async with console.client() as http:
        reply = await sign_in(http, console.base, next_path="/reports?x=1")
        assert reply.status == 303
        assert reply.headers["Location"] == "/reports?x=1"
        [cookie] = reply.cookies(SESSION_COOKIE)
        assert cookie["httponly"] == ""
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert cookie["max-age"] == str(TTL_S)
        assert "secure" not in cookie  # plain http here: a Secure cookie would never return
        assert reply.cookies(LOGIN_COOKIE)[0]["max-age"] == "0"  # the nonce is spent
        # The cookie is a random session id: neither who signed in nor the token.
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie["value"])
        assert TOKEN not in cookie["value"]
        page = await get_text(http, f"{console.base}/reports")
        assert signed_in_as(page) == USER
        assert hidden_fields(page)["_csrf"]


async def test_cookies_are_secure_behind_https(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, public_url="https://jk.kq.gov.cn") as console, \
            aiohttp.ClientSession() as http:
        async with http.get(f"{console.base}/login") as resp:
            nonce = hidden_fields(await resp.text())["nonce"]
            assert "; Secure" in resp.headers["Set-Cookie"]
        form = {"nonce": nonce, "next": "/", "name": USER, "token": TOKEN}
        reply = await post_form(http, f"{console.base}/login", form,
                                headers={"Cookie": f"{LOGIN_COOKIE}={nonce}"})
        assert reply.status == 303
        [cookie] = reply.cookies(SESSION_COOKIE)
        assert "secure" in cookie
        assert (cookie["httponly"], cookie["samesite"]) == ("", "Lax")


async def test_forged_or_edited_cookies_are_ignored(console: Console) -> None:
    good = await session_cookie(console)
    assert signed_in_as(await page_with_cookie(console, good)) == USER
    edited = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for forged in (edited, good[:-1], good + "A", "garbage", "", "é" * 43, f"{good}.x",
                   "A" * 43):
        page = await page_with_cookie(console, forged)
        assert signed_in_as(page) is None, forged
        assert "_csrf" not in page


async def test_an_expired_session_is_ignored(console: Console, clock: SetClock) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        clock.advance(TTL_S - 10)
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) == USER
        csrf = await csrf_of(http, f"{console.base}/reports")
        clock.advance(11)
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) is None
        # Nor does it act: the form goes back to the sign-in page.
        reply = await post_form(http, f"{console.base}/logout", {"_csrf": csrf},
                                headers={"Referer": f"{console.base}/reports"})
        assert reply.status == 303
        assert login_next(reply.headers["Location"]) == "/reports"


OPEN_REDIRECTS = ("//evil.example", "https://evil.example", "http:evil.example",
                  "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
                  " //evil.example", "javascript:alert(1)", "evil.example", "")


async def test_next_only_goes_to_a_local_path(console: Console) -> None:
    async with console.client() as http:
        for target in OPEN_REDIRECTS:
            reply = await sign_in(http, console.base, next_path=target)
            assert (reply.status, reply.headers["Location"]) == (303, "/"), target
            async with http.get(f"{console.base}/login", params={"next": target}) as resp:
                assert hidden_fields(await resp.text())["next"] == "/", target
        for local in ("/reports", "/incidents/20251124160100-kq-oa-home?tab=notes"):
            reply = await sign_in(http, console.base, next_path=local)
            assert reply.headers["Location"] == local


async def test_logout_needs_csrf_and_clears_the_cookie(console: Console) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        csrf = await csrf_of(http, f"{console.base}/reports")
        for bad in ({}, {"_csrf": "x" * len(csrf)}, {"_csrf": "非" * 8}):
            reply = await post_form(http, f"{console.base}/logout", bad)
            assert reply.status == 403, bad
            assert "CSRF" in reply.text
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) == USER
        reply = await post_form(http, f"{console.base}/logout", {"_csrf": csrf})
        assert (reply.status, reply.headers["Location"]) == (303, "/")
        [cleared] = reply.cookies(SESSION_COOKIE)
        assert cleared["max-age"] == "0"
        assert cleared["path"] == "/"
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) is None


async def test_a_csrf_token_belongs_to_its_session(console: Console) -> None:
    async with console.client() as first, console.client() as second:
        await sign_in(first, console.base)
        await sign_in(second, console.base, name="李四", token=OPS_TOKEN)
        theirs = await csrf_of(first, f"{console.base}/reports")
        assert theirs != await csrf_of(second, f"{console.base}/reports")
        reply = await post_form(second, f"{console.base}/logout", {"_csrf": theirs})
        assert reply.status == 403
        # A person reads this in the browser: a page saying why, not the API's JSON.
        assert reply.headers["Content-Type"].startswith("text/html")
        assert "CSRF" in reply.text


async def test_closed_reading_asks_for_sign_in(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, open_read=False) as console, \
            console.client() as http:
        for path in ("/", "/reports", "/reports?done=x", "/reports/files/monthly-2025-10.json",
                     "/reports/incident/x?format=json"):
            async with http.get(console.base + path, allow_redirects=False) as resp:
                assert resp.status == 302, path
                assert login_next(resp.headers["Location"]) == path
        # The machines' endpoints and the sign-in page itself stay open.
        for path in ("/healthz", "/api/v1/apps", "/login", "/static/console/console.css"):
            async with http.get(console.base + path, allow_redirects=False) as resp:
                assert resp.status == 200, path
        reply = await sign_in(http, console.base, next_path="/reports")
        assert reply.headers["Location"] == "/reports"
        assert signed_in_as(await get_text(http, f"{console.base}/reports")) == USER


async def test_open_reading_needs_no_sign_in(console: Console) -> None:
    async with aiohttp.ClientSession() as http:
        page = await get_text(http, f"{console.base}/reports")
    assert signed_in_as(page) is None
    [link] = re.findall(r'<a href="([^"]+)" data-signin>', page)
    assert login_next(link.replace("&amp;", "&")) == "/reports"
    assert "data-generate" not in page  # acting still needs a session
    assert "_csrf" not in page


async def test_console_pages_carry_security_headers(console: Console) -> None:
    async with aiohttp.ClientSession() as http:
        for path, status in (("/login", 200), ("/reports", 200),
                             ("/reports/files/monthly-1999-01.json", 404)):
            async with http.get(console.base + path) as resp:
                assert resp.status == status, path
                assert resp.headers["X-Frame-Options"] == "DENY"
                assert resp.headers["X-Content-Type-Options"] == "nosniff"
                csp = resp.headers["Content-Security-Policy"]
                assert "script-src 'self'" in csp
                assert "frame-ancestors 'none'" in csp
