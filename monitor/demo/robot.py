"""The demo's DingTalk group: a robot endpoint that checks what DingTalk checks and prints each
message as the group would show it.

Like the real robot it refuses a wrong access_token, a wrong or stale 加签 signature
(errcode 310000) and a 21st message within a minute (130101), so the demo shows the service
living within those rules, not a receiver that accepts anything.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Final

from aiohttp import web

from monitor.core.catalog import AREAS, pick

PATH: Final = "/demo/robot/send"
PER_MINUTE: Final = 20
MAX_SKEW_MS: Final = 3_600_000  # DingTalk accepts a signature timestamp within an hour
_LINK_RE: Final = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_ESCAPED_RE: Final = re.compile(r"\\(.)")


def say(lang: str, key: str, **values: object) -> str:
    return pick(AREAS["cli"], lang, key, **values)


def signature(secret: str, timestamp_ms: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def as_shown(body: dict[str, Any]) -> list[str]:
    """The lines a group member reads: markdown marks dropped, links as 'label (url)'."""
    kind = str(body.get("msgtype", ""))
    part = body.get(kind) or {}
    raw = str(part.get("text") or part.get("content") or "")
    lines = [_plain(line) for line in raw.splitlines()]
    if kind == "actionCard" and part.get("singleTitle"):
        lines += ["", f"[{part['singleTitle']}] ({part.get('singleURL', '')})"]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _plain(line: str) -> str:
    linked = _LINK_RE.sub(lambda m: f"{m.group(1)} ({m.group(2)})", line)
    return _ESCAPED_RE.sub(r"\1", linked.lstrip("#").replace("**", "").strip())


class DemoRobot:
    """POST /demo/robot/send?access_token=..&timestamp=..&sign=.. like a DingTalk robot."""

    def __init__(self, token: str, secret: str, lang: str,
                 out: Callable[[str], None] = print, tz: dt.tzinfo | None = None) -> None:
        self.token = token
        self.secret = secret
        self.lang = lang
        self.out = out
        self.tz = tz
        self.accepted = 0
        self._recent: deque[float] = deque()

    def route(self) -> web.RouteDef:
        return web.post(PATH, self.receive)

    def _refusal(self, request: web.Request) -> tuple[int, str] | None:
        query = request.query
        if query.get("access_token") != self.token:
            return 300001, "token is not exist"
        timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > MAX_SKEW_MS:
            return 310000, "invalid timestamp"
        if not hmac.compare_digest(signature(self.secret, timestamp), sign):
            return 310000, "sign not match"
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 60:
            self._recent.popleft()
        if len(self._recent) >= PER_MINUTE:
            return 130101, "send too fast, exceed 20 times per minute"
        self._recent.append(now)
        return None

    async def receive(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            errcode, errmsg = refused
            self.out(say(self.lang, "demo.robot.refused", code=errcode, reason=errmsg))
            return web.json_response({"errcode": errcode, "errmsg": errmsg})
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.json_response({"errcode": 40035, "errmsg": "invalid message body"})
        self.accepted += 1
        at = dt.datetime.now(self.tz).strftime("%H:%M:%S")
        mentions = (body.get("at") or {}).get("atMobiles") or []
        rings = body.get("msgtype") in ("text", "markdown") and bool(mentions)
        head = say(self.lang, "demo.robot.head", n=self.accepted, at=at,
                   kind=body.get("msgtype", "?"))
        lines = [f"┌─ {head}"] + [f"│ {line}" for line in as_shown(body)]
        if rings:
            lines.append("│ " + say(self.lang, "demo.robot.rings", who=", ".join(mentions)))
        lines.append("└" + "─" * 40)
        self.out("\n".join(lines))
        return web.json_response({"errcode": 0, "errmsg": "ok"})
