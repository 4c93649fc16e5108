"""Real local receivers for the notification channels, started in the test process on free
loopback ports: a DingTalk-style group robot, a webhook receiver and an SMTP server.

Each checks what the real endpoint checks, the way it checks it: the robot recomputes the
加签 signature from the decoded query exactly as DingTalk does and answers errcode 310000 when
it differs; the webhook receiver recomputes the HMAC over the raw body bytes. Each records what
it accepted and can be told to fail (`receiver.fail = "http500" | "hang" | ...`).

    async with DingTalkRobot(secret="SEC...") as robot:
        ... DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret)) ...
        assert robot.messages[0]["msgtype"] == "markdown"
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email
import email.policy
import hashlib
import hmac
import json
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo

from aiohttp import web
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alerting.delivery import Delivery, Recipients, delivery_id
from alerting.model import ChildRef, Event, Incident, IncidentState, Severity
from alerting.payload import build_payload
from monitor.core.clock import Clock
from tests.support.certs import TestPki
from tests.support.http_servers import serve_app

HANG_S = 3600.0  # "never answers": far beyond any test's timeout; cancelled at shutdown
ROBOT_MAX_BYTES = 20_000  # DingTalk refuses bigger messages
ROBOT_PER_MINUTE = 20  # ...and throttles a robot that sends more than this in a minute
ROBOT_CLOCK_SKEW_MS = 3600_000  # the timestamp must be within an hour of the server's time


class _Receiver:
    """An aiohttp app served on 127.0.0.1 for the life of an `async with`."""

    def __init__(self) -> None:
        self.base_url = ""
        self.fail: str | None = None  # "http500" | "hang" (| errcodes for the robot)
        self.hits = 0  # requests that reached the handler, accepted or not
        self._stack = contextlib.AsyncExitStack()

    def _app(self) -> web.Application:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self.base_url = await self._stack.enter_async_context(serve_app(self._app()))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()

    async def _forced_failure(self, request: web.Request) -> web.Response | None:
        self.hits += 1
        if self.fail == "http500":
            # Quoting the request, query included, as some proxies' error pages do: a channel
            # must not carry that into its error text.
            return web.Response(status=500, text=f"internal error at {request.path_qs}")
        if self.fail == "hang":
            await asyncio.sleep(HANG_S)
        return None


class DingTalkRobot(_Receiver):
    """A group robot: `POST /robot/send?access_token=..[&timestamp=..&sign=..]`.

    `fail` may also be "130101" (throttled) or "310000" (security check failed)."""

    def __init__(
        self,
        *,
        token: str = "robot-token-5f2c9a",
        secret: str | None = "SEC0123456789abcdef",
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        # Its own time: the signature timestamp is checked against clock.now(), the 20/min
        # limit counted in clock.monotonic(), so a test's fake clock moves the robot too.
        self.clock = clock or Clock()
        self.token = token
        self.secret = secret
        self.messages: list[dict[str, Any]] = []  # accepted bodies, in order
        self.raw: list[bytes] = []  # the same, as received
        self.errors: list[dict[str, Any]] = []  # errcode replies given
        self._accepted_at: deque[float] = deque()

    @property
    def url(self) -> str:
        return f"{self.base_url}/robot/send?access_token={self.token}"

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/robot/send", self._send)
        return app

    def _error(self, errcode: int, errmsg: str) -> web.Response:
        self.errors.append({"errcode": errcode, "errmsg": errmsg})
        return web.json_response({"errcode": errcode, "errmsg": errmsg})

    def _check_sign(self, query: Any) -> str | None:
        """DingTalk's check: the decoded `sign` equals base64(HMAC-SHA256(secret,
        "{timestamp}\\n{secret}")) and the timestamp is within an hour of now."""
        if self.secret is None:
            return None
        timestamp, sign = query.get("timestamp"), query.get("sign")
        if not timestamp or not sign:
            return "sign not match: timestamp and sign are required"
        try:
            skew = abs(self.clock.now() * 1000 - int(timestamp))
        except ValueError:
            return "invalid timestamp"
        if skew > ROBOT_CLOCK_SKEW_MS:
            return "invalid timestamp: more than an hour from server time"
        digest = hmac.new(
            self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        expected = base64.b64encode(digest).decode()
        return None if hmac.compare_digest(expected, sign) else "sign not match"

    async def _send(self, request: web.Request) -> web.Response:
        if (forced := await self._forced_failure(request)) is not None:
            return forced
        if self.fail in ("130101", "310000"):
            return self._error(int(self.fail), f"told to fail with {self.fail}")
        if request.query.get("access_token") != self.token:
            return self._error(300001, "token is not exist")
        if (problem := self._check_sign(request.query)) is not None:
            return self._error(310000, problem)
        raw = await request.read()
        if len(raw) > ROBOT_MAX_BYTES:
            return self._error(460101, f"message too long: {len(raw)} bytes")
        try:
            body = json.loads(raw)
            kind = body["msgtype"]
            assert isinstance(body[kind], dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            return self._error(40035, "invalid message body")
        now = self.clock.monotonic()
        while self._accepted_at and self._accepted_at[0] <= now - 60:
            self._accepted_at.popleft()
        if len(self._accepted_at) >= ROBOT_PER_MINUTE:
            return self._error(130101, "send too fast, exceed 20 times per minute")
        self._accepted_at.append(now)
        self.messages.append(body)
        self.raw.append(raw)
        return web.json_response({"errcode": 0, "errmsg": "ok"})


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    raw: bytes
    body: dict[str, Any]


class WebhookReceiver(_Receiver):
    """`POST /hook`: verifies X-Monitor-Signature over the raw body when it has a secret
    (401 when missing or wrong), drops duplicate delivery ids as the contract invites."""

    def __init__(self, *, secret: str | None = "hook-secret-7d41") -> None:
        super().__init__()
        self.secret = secret
        self.received: list[Received] = []  # accepted, first copies only
        self.delivery_ids: list[str] = []  # every accepted id, duplicates included
        self.bad_signatures = 0

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        return app

    async def _hook(self, request: web.Request) -> web.Response:
        if (forced := await self._forced_failure(request)) is not None:
            return forced
        raw = await request.read()
        if self.secret is not None:
            expected = "sha256=" + hmac.new(self.secret.encode(), raw, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers.get("X-Monitor-Signature", "")):
                self.bad_signatures += 1
                return web.json_response({"error": "bad signature"}, status=401)
        delivery = request.headers.get("X-Monitor-Delivery", "")
        if delivery not in self.delivery_ids:
            self.received.append(Received(dict(request.headers), raw, json.loads(raw)))
        self.delivery_ids.append(delivery)
        return web.json_response({"ok": True})


@dataclass(frozen=True)
class Mail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    tls: bool  # the session was encrypted (STARTTLS or implicit TLS)
    user: str | None  # who authenticated, if anyone


@dataclass
class SmtpReceiver:
    """aiosmtpd in the test's own event loop on a free port.

    security "starttls" requires STARTTLS before MAIL; "ssl" is implicit TLS; both use a
    certificate from `pki`. `auth=(user, password)` requires AUTH. `reject="451 4.3.0 ..."`
    answers every DATA with that reply."""

    security: Literal["none", "starttls", "ssl"] = "none"
    pki: TestPki | None = None
    auth: tuple[str, str] | None = None
    reject: str | None = None
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Mail] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _protocols: list[SMTP] = field(default_factory=list)

    def _protocol(self) -> SMTP:
        tls = self.pki.server_context() if self.pki and self.security != "none" else None
        protocol = SMTP(
            self, hostname="receiver.test",
            tls_context=tls if self.security == "starttls" else None,
            require_starttls=self.security == "starttls",
            auth_required=self.auth is not None,
            auth_require_tls=self.security != "none",
            authenticator=self._authenticate,
        )
        self._protocols.append(protocol)
        return protocol

    async def __aenter__(self) -> SmtpReceiver:
        implicit = None
        if self.security == "ssl":
            assert self.pki is not None, "ssl needs a pki for its certificate"
            implicit = self.pki.server_context()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self.host, 0, ssl=implicit)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for protocol in self._protocols:
            if protocol.transport is not None:
                protocol.transport.close()
        await self._server.wait_closed()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if self.auth is None or not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = self.auth
        ok = data.login.decode() == user and data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.reject:
            return self.reject
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        # After STARTTLS aiosmtpd swaps in the TLS transport, so this covers both kinds of TLS.
        tls = server.transport is not None and (
            server.transport.get_extra_info("ssl_object") is not None)
        user = session.auth_data if session.authenticated else None
        self.messages.append(Mail(
            str(envelope.mail_from), tuple(envelope.rcpt_tos), message, tls=tls, user=user))
        return "250 OK"


# ---- what the channels are fed --------------------------------------------------------------

T_OPENED = 1_764_000_000.0  # 2025-11-25 00:00:00+08:00



def sample_incident(n: int = 1, **changes: Any) -> Incident:
    fields: dict[str, Any] = {
        "id": f"inc-{n:04d}", "app_id": "kq-oa", "app_name": "柯桥区协同办公",
        "check_id": "home", "check_name": "首页", "check_kind": "http",
        "severity": Severity.CRITICAL, "state": IncidentState.OPEN,
        "summary": "状态码异常：HTTP 502", "started_at": T_OPENED - 60, "opened_at": T_OPENED,
    }
    fields.update(changes)
    return Incident(**fields)


def sample_parent(count: int = 26, n: int = 900, **changes: Any) -> Incident:
    """A correlated incident (大面积故障) over `count` apps, each with one failing check."""
    children = tuple(
        ChildRef(id=f"inc-{n + k:04d}", app_id=f"app-{k:03d}", app_name=f"应用{k:03d}",
                 check_id="home", check_name="首页", check_kind="http",
                 summary="连接超时", started_at=T_OPENED - 120 + k, address="10.0.0.1")
        for k in range(1, count + 1))
    fields: dict[str, Any] = {
        "id": f"inc-{n:04d}", "app_id": "_correlated", "app_name": "大面积故障",
        "check_id": "correlated", "kind": "correlated", "children": children,
        "summary": f"{count} 个应用同时故障", "started_at": T_OPENED - 119,
    }
    fields.update(changes)
    return sample_incident(n, **fields)


def sample_delivery(
    event: Event = Event.OPENED,
    incident: Incident | None = None,
    *,
    notifier: str = "oncall-robot",
    language: str = "zh-CN",
    recipients: Recipients | None = None,
    step: str = "0",
    app: dict[str, Any] | None = None,
    joined: list[str] | None = None,
) -> Delivery:
    """A delivery with a payload built by the real `build_payload`, as the outbox stores it.
    A correlated incident gets app {} (as the outbox gives it); `joined` names the children an
    `incident.joined` delivery announces."""
    incident = incident or sample_incident()
    if app is None:
        app = {} if incident.kind == "correlated" else {
            "name": incident.app_name, "department": "区大数据中心", "category": "办公协同",
            "tier": 1, "owner_name": "张三"}
    payload = build_payload(
        incident, ZoneInfo("Asia/Shanghai"),
        app=app,
        links={"ack": f"http://127.0.0.1:8080/ack/{incident.id}?sig=abc",
               "incident": f"http://127.0.0.1:8080/incidents/{incident.id}"},
        deadlines={"response": "2025-11-25T00:15:00+08:00",
                   "resolution": "2025-11-25T01:00:00+08:00"},
        language=language,
    )
    if joined is not None:
        payload["joined"] = joined
    return Delivery(
        id=delivery_id(incident.id, event.value, step, notifier), incident_id=incident.id,
        event=event.value, step=step, notifier_id=notifier, target=notifier, payload=payload,
        created_at=T_OPENED, recipients=recipients or Recipients(),
    )


