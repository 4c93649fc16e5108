"""Sign-in for the console: a bearer token from service.api_tokens, typed once into a form,
opens a server-side session (monitor.api.sessions) whose random id is the cookie (HttpOnly,
SameSite=Lax, Secure behind https); every form carries a CSRF token bound to that session.

The cookie holds no secret and nothing to edit: only the session's id. The server keeps who
signed in, until when, and which token (its name and a keyed hash of its value) the session
was opened with. Signing out deletes the session, so a saved cookie is worthless afterwards;
a reload that removes or changes the token ends its sessions. The CSRF token is an HMAC of a
random nonce of the session: a page of another site can neither read it nor guess it.
Sign-in itself is protected by a double-submit token (a random cookie set with the form,
echoed by the form), and failed sign-ins count towards the client's lock-out
(monitor.api.throttle) like failed API token checks.

Reading pages is open unless `console.open_read` is false; acting always needs a session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final
from urllib.parse import quote, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from monitor.api.auth import text_is_clean, token_name
from monitor.api.sessions import Session
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.core.catalog import pick
from monitor.core.catalog.console import WORDS

SESSION_COOKIE: Final = "appmon_session"
LOGIN_COOKIE: Final = "appmon_login"
CSRF_FIELD: Final = "_csrf"
MAX_NAME_CHARS: Final = 100
_SESSION_KEY: Final = web.RequestKey("console_session", object)

def derive_key(link_key: bytes) -> bytes:
    """The console's own key, so a CSRF token can never double as an acknowledge link."""
    return hmac.new(link_key, b"console-session-v1", hashlib.sha256).digest()


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return digest.hex()


def same(given: str, expected: str) -> bool:
    """Constant-time equality of what a client sent (any text) and what we expect. As bytes:
    compare_digest refuses str with non-ASCII characters, which a client may well send, and
    a header's stray bytes arrive as surrogate escapes, which only surrogatepass encodes."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                               expected.encode("utf-8", "surrogatepass"))


def csrf_token(key: bytes, session: Session) -> str:
    return _mac(key, f"csrf:{session.nonce}")[:32]


def session_of(request: web.Request) -> Session | None:
    if _SESSION_KEY in request:
        found = request[_SESSION_KEY]
        return found if isinstance(found, Session) else None
    ctx = request.app[CONSOLE_KEY]
    value = request.cookies.get(SESSION_COOKIE)
    session = (ctx.state.sessions.get(value, ctx.now(), ctx.config.service.api_tokens)
               if value else None)
    request[_SESSION_KEY] = session
    return session


async def read_form(request: web.Request) -> MultiDictProxy[str]:
    """The posted form, text fields only; a clear 400 page for a body that is not a form or
    holds text that cannot be stored."""
    reason = pick(WORDS, request.app[CONSOLE_KEY].lang, "form.malformed")
    try:
        form = await request.post()
    except web.HTTPException:
        raise
    except (ValueError, UnicodeError, AssertionError, KeyError):
        raise web.HTTPBadRequest(reason=reason) from None
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not all(text_is_clean(k) and text_is_clean(v) for k, v in fields.items()):
        raise web.HTTPBadRequest(reason=reason)
    return form  # type: ignore[return-value]  # file fields are never read by a console form


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
    form = await read_form(request)
    given = form.get(CSRF_FIELD)
    expected = csrf_token(request.app[CONSOLE_KEY].session_key, session)
    if not isinstance(given, str) or not same(given, expected):
        # The reason is what the server's error middleware puts in the body it sends.
        raise web.HTTPForbidden(reason="CSRF token missing or invalid; reload the page and retry")
    return session, form


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


def set_session(response: web.StreamResponse, ctx: ConsoleContext, user: str, actor: str,
                token: str) -> None:
    ttl = ctx.config.console.session_ttl_s
    now = ctx.now()
    session_id = ctx.state.sessions.open(user=user, actor=actor, token=token,
                                         expires=now + ttl, now=now)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(ttl), httponly=True,
                        samesite="Lax", secure=_secure(ctx), path="/")


def end_session(request: web.Request, response: web.StreamResponse) -> None:
    """Sign-out: the session is deleted on the server, and the browser forgets the cookie."""
    ctx = request.app[CONSOLE_KEY]
    value = request.cookies.get(SESSION_COOKIE)
    if value:
        ctx.state.sessions.end(value)
    request[_SESSION_KEY] = None
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
