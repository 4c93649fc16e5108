"""Sign-in for the console: a bearer token from service.api_tokens, typed once into a form,
becomes a signed session cookie (HttpOnly, SameSite=Lax, Secure behind https), and every form
carries a CSRF token bound to that session.

The cookie holds no secret, only who signed in (the name they gave and the token's name),
until when, and a random nonce; it is signed with a key derived from the link key, so a
forged or edited cookie is rejected. The CSRF token is an HMAC of the session's nonce: a page
of another site can neither read it nor guess it. Sign-in itself is protected by a
double-submit token (a random cookie set with the form, echoed by the form).

Reading pages is open unless `console.open_read` is false; acting always needs a session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from monitor.api.auth import token_name
from monitor.console.context import CONSOLE_KEY, ConsoleContext

SESSION_COOKIE: Final = "appmon_session"
LOGIN_COOKIE: Final = "appmon_login"
CSRF_FIELD: Final = "_csrf"
MAX_NAME_CHARS: Final = 100
_SESSION_KEY: Final = web.RequestKey("console_session", object)


@dataclass(frozen=True, slots=True)
class Session:
    user: str  # the name typed at sign-in: shown in timelines as who acted
    actor: str  # the api token's name, for the log
    expires: float
    nonce: str


def derive_key(link_key: bytes) -> bytes:
    """The console's own key, so a session cookie can never double as an acknowledge link."""
    return hmac.new(link_key, b"console-session-v1", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, message: str) -> str:
    return _b64(hmac.new(key, message.encode(), hashlib.sha256).digest())


def same(given: str, expected: str) -> bool:
    """Constant-time equality of what a client sent (any text) and what we expect. As bytes:
    compare_digest refuses str with non-ASCII characters, which a client may well send."""
    return hmac.compare_digest(given.encode(), expected.encode())


def issue(key: bytes, user: str, actor: str, expires: float) -> str:
    body = _b64(json.dumps({"u": user, "a": actor, "e": expires, "n": secrets.token_hex(16)},
                           ensure_ascii=False).encode())
    return f"{body}.{_mac(key, body)}"


def verify(key: bytes, value: str, now: float) -> Session | None:
    body, _, mac = value.partition(".")
    if not body or not same(mac, _mac(key, body)):
        return None
    try:
        data = json.loads(_unb64(body))
        session = Session(str(data["u"]), str(data["a"]), float(data["e"]), str(data["n"]))
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > now else None


def csrf_token(key: bytes, session: Session) -> str:
    return _mac(key, f"csrf:{session.nonce}")[:32]


def session_of(request: web.Request) -> Session | None:
    if _SESSION_KEY in request:
        found = request[_SESSION_KEY]
        return found if isinstance(found, Session) else None
    ctx = request.app[CONSOLE_KEY]
    value = request.cookies.get(SESSION_COOKIE)
    session = verify(ctx.session_key, value, ctx.now()) if value else None
    request[_SESSION_KEY] = session
    return session


def login_url(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='')}"


def require_read(request: web.Request) -> None:
    """Pages: open to all when console.open_read, else a sign-in first."""
    ctx = request.app[CONSOLE_KEY]
    if not ctx.config.console.open_read and session_of(request) is None:
        raise web.HTTPFound(login_url(request.path_qs))


async def require_action(request: web.Request) -> tuple[Session, MultiDictProxy[str]]:
    """A form post: the session and the form, after the CSRF check. No session: back to the
    sign-in page (then to the page the form was on). A bad CSRF token: 403, nothing done."""
    session = session_of(request)
    if session is None:
        back = request.headers.get("Referer", "/")
        raise web.HTTPSeeOther(login_url(safe_next(_path_of(back))))
    form = await request.post()
    given = form.get(CSRF_FIELD)
    expected = csrf_token(request.app[CONSOLE_KEY].session_key, session)
    if not isinstance(given, str) or not same(given, expected):
        # The reason is what the server's error middleware puts in the body it sends.
        raise web.HTTPForbidden(reason="CSRF token missing or invalid; reload the page and retry")
    return session, MultiDictProxy(form)  # type: ignore[arg-type]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def safe_next(value: str | None) -> str:
    """Only a local path: never another site (an open redirect). Browsers drop tabs and line
    breaks from a URL and read a backslash as a slash, so "/<TAB>/evil.example" is
    "//evil.example" to them: a path with any of those (or a space) is refused too."""
    if not value or not value.startswith("/") or value.startswith("//") or any(
            char == "\\" or char <= " " or char == "\x7f" for char in value):
        return "/"
    return value


def set_session(response: web.StreamResponse, ctx: ConsoleContext, user: str,
                actor: str) -> None:
    ttl = ctx.config.console.session_ttl_s
    value = issue(ctx.session_key, user, actor, ctx.now() + ttl)
    response.set_cookie(SESSION_COOKIE, value, max_age=int(ttl), httponly=True,
                        samesite="Lax", secure=_secure(ctx), path="/")


def clear_session(response: web.StreamResponse, ctx: ConsoleContext) -> None:
    response.del_cookie(SESSION_COOKIE, path="/", secure=_secure(ctx), httponly=True,
                        samesite="Lax")


def _secure(ctx: ConsoleContext) -> bool:
    return str(ctx.config.service.public_url).startswith("https://")


def actor_of(ctx: ConsoleContext, token: str) -> str | None:
    return token_name(token, ctx.config.service.api_tokens)


def new_login_nonce() -> str:
    return secrets.token_urlsafe(18)


def set_login_nonce(response: web.StreamResponse, ctx: ConsoleContext, nonce: str) -> None:
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="Strict",
                        secure=_secure(ctx), path="/login")
