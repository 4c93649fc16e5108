"""A real Service for the console's sign-in and reports tests, and a client that signs in.

    async with running_console(tmp_path, clock, open_read=False) as console:
        async with console.client() as http:
            await sign_in(http, console.base)            # the session cookie is in the jar
            html = await get_text(http, console.base + "/reports")

The service is the API tests' one (tests.api.conftest: two apps, webhook notifier, fixed
clock, background=False) with the console settings a test asks for.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, TOKEN, SetClock, config_yaml
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target, running_target, write_config

USER = "张三"
_HIDDEN = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)">')


@dataclass
class Console:
    service: Service
    target: Target
    clock: SetClock

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.service.bound_port}"

    @property
    def data_dir(self) -> Path:
        return Path(self.service.config.service.data_dir)

    def client(self) -> aiohttp.ClientSession:
        """A browser-like client: keeps cookies (unsafe=True: cookies for an IP address)."""
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@asynccontextmanager
async def running_console(tmp_path: Path, clock: SetClock, *, open_read: bool = True,
                          session_ttl: str = "1h", public_url: str | None = None,
                          language: str = "zh-CN") -> AsyncIterator[Console]:
    async with running_target() as target, WebhookReceiver(secret=HOOK_SECRET) as hook:
        text = config_yaml(tmp_path, target, hook, language=language).lstrip("\n")
        if public_url is not None:
            text = text.replace("service:\n", f'service:\n  public_url: "{public_url}"\n', 1)
        text += (f"console:\n  open_read: {'true' if open_read else 'false'}\n"
                 f'  session_ttl: "{session_ttl}"\n')
        service = Service(load_config(write_config(tmp_path, text)), clock=clock,
                          background=False)
        await service.start()
        try:
            yield Console(service, target, clock)
        finally:
            await service.stop()


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page (the login nonce and next, the CSRF token), by name."""
    return {m["name"]: htmllib.unescape(m["value"]) for m in _HIDDEN.finditer(page)}


async def get_text(http: aiohttp.ClientSession, url: str, *, status: int = 200,
                   **kwargs: Any) -> str:
    async with http.get(url, allow_redirects=False, **kwargs) as resp:
        body = await resp.text()
        assert resp.status == status, (resp.status, body[:500])
        return body


@dataclass(frozen=True)
class Reply:
    status: int
    headers: CIMultiDictProxy[str]
    text: str

    def cookies(self, name: str) -> list[dict[str, str]]:
        """The Set-Cookie headers for `name`, as {"value": ..., attribute (lower case): value}
        ("" for flags such as HttpOnly)."""
        found = []
        for header in self.headers.getall("Set-Cookie", []):
            first, *attributes = (part.strip() for part in header.split(";"))
            key, _, value = first.partition("=")
            if key == name:
                parsed = {"value": value}
                for attribute in attributes:
                    attr, _, attr_value = attribute.partition("=")
                    parsed[attr.lower()] = attr_value
                found.append(parsed)
        return found


async def post_form(http: aiohttp.ClientSession, url: str, data: dict[str, str],
                    **kwargs: Any) -> Reply:
    async with http.post(url, data=data, allow_redirects=False, **kwargs) as resp:
        return Reply(resp.status, resp.headers, await resp.text())


async def sign_in(http: aiohttp.ClientSession, base: str, *, name: str = USER,
                  token: str = TOKEN, next_path: str = "/") -> Reply:
    """The sign-in form as a browser fills it: GET /login (nonce cookie + field), then POST.
    Returns the POST's reply (not followed)."""
    form = hidden_fields(await get_text(http, f"{base}/login"))
    data = {"nonce": form["nonce"], "next": next_path, "name": name, "token": token}
    return await post_form(http, f"{base}/login", data)


async def csrf_of(http: aiohttp.ClientSession, url: str) -> str:
    """The CSRF token a signed-in page carries in its forms."""
    token = hidden_fields(await get_text(http, url)).get("_csrf", "")
    assert token, "no CSRF token on the page: not signed in?"
    return token
