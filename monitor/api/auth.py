"""Who may change state through the API, and how the API says no.

State-changing requests carry `Authorization: Bearer <token>` matching one of
`service.api_tokens` (CONTRACT.md §3). The token is compared in constant time against *every*
configured token, so the time taken says neither which token nearly matched nor how many there
are; the token itself is never logged, only the name it was configured under (the `actor`).
Failed checks are counted per client (monitor.api.throttle): past a few, 429 with Retry-After.

The Alertmanager receiver may instead be authenticated by an HMAC of the raw body
(`X-Monitor-Signature: sha256=<hex>`), for proxies that cannot add a bearer header.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from aiohttp import web

from monitor.api.state import STATE_KEY
from monitor.api.throttle import Throttle
from monitor.core.config.model import ApiToken

ACTOR_KEY: Final = web.RequestKey("actor", str)
SIGNATURE_HEADER: Final = "X-Monitor-Signature"
SIGNATURE_PREFIX: Final = "sha256="

Handler = Callable[[web.Request], Awaitable[web.Response]]


class ApiError(Exception):
    """A refusal in the contract's JSON shape. `field` names the offending body field."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field  # an addition to the contract's shape, never a rename
        return json_response({"error": error}, status=self.status, headers=self.headers)


def json_response(body: object, *, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> web.Response:
    # ensure_ascii=False: app names and summaries stay readable Chinese, as /api/v1/apps does.
    return web.json_response(body, status=status, headers=headers,
                             dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


def json_api(handler: Handler) -> Handler:
    """Turn an ApiError raised anywhere in `handler` into its JSON response.

    The server's json_errors middleware would rewrite an HTTPException's body to its reason
    phrase, losing the message that names the field; this keeps the message we wrote."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return exc.response()

    return wrapped


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message,
                    headers={"WWW-Authenticate": 'Bearer realm="monitor"'})


def too_many_attempts(retry_after_s: int) -> ApiError:
    return ApiError(429, "too_many_attempts",
                    f"too many failed token checks from this address; retry in {retry_after_s} s",
                    headers={"Retry-After": str(retry_after_s)})


def _presented(request: web.Request) -> str | None:
    """What follows "Bearer " in the Authorization header, as sent (even malformed)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return None
    return value


def well_formed(token: str) -> bool:
    """A token is printable ASCII. A header byte that is not (aiohttp hands such bytes on as
    surrogate escapes) makes the header malformed, never a crash."""
    return token.isascii() and token.isprintable()


def text_is_clean(value: str) -> bool:
    """Text that can be stored and shown: no lone surrogates (from stray bytes or escapes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bearer_token(request: web.Request) -> str | None:
    """The bearer token, or None when there is none or it is malformed."""
    value = _presented(request)
    return value if value is not None and well_formed(value) else None


def token_name(presented: str, tokens: tuple[ApiToken, ...]) -> str | None:
    """The name of the configured token equal to `presented`, compared in constant time.

    Every token is compared even after a match, so the response time does not depend on
    where in the list the match was. Empty configured tokens never match. Any text may be
    presented (a form field, a header with stray bytes): it is compared as bytes."""
    given = presented.encode("utf-8", "surrogatepass")
    found: str | None = None
    for entry in tokens:
        secret = entry.token.reveal().encode()
        if hmac.compare_digest(secret, given) and secret and found is None:
            found = entry.name
    return found


def check_token(request: web.Request, presented: str, tokens: tuple[ApiToken, ...]) -> str:
    """The name of the token `presented`, counting failures per client (monitor.api.throttle):
    429 with Retry-After while the client is locked out (the token is not even compared),
    401 for a wrong or malformed token. A success resets the client's count."""
    throttle = _throttle(request)
    if throttle is not None and (wait := throttle.retry_after(request.remote)):
        raise too_many_attempts(wait)
    name = token_name(presented, tokens) if well_formed(presented) else None
    if name is None:
        if throttle is not None:
            throttle.failed(request.remote)
        if not well_formed(presented):
            raise unauthorized("malformed Authorization header: a token is printable ASCII")
        raise unauthorized("the bearer token is not one of service.api_tokens")
    if throttle is not None:
        throttle.succeeded(request.remote)
    request[ACTOR_KEY] = name
    return name


def _throttle(request: web.Request) -> Throttle | None:
    state = request.app.get(STATE_KEY)
    return state.throttle if state is not None else None


def require_token(request: web.Request, tokens: tuple[ApiToken, ...]) -> str:
    """The acting token's name (also stored as request[ACTOR_KEY]); 401 without a valid one,
    429 while this client is locked out after repeated failures.

    Call it before reading or acting on the body, so a refused request changes nothing."""
    presented = _presented(request)
    if presented is None:
        raise unauthorized("this request changes state: send Authorization: Bearer <token>")
    return check_token(request, presented, tokens)


def body_signature(secret: str, raw: bytes) -> str:
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def signature_valid(request: web.Request, raw: bytes, secret: str) -> bool:
    presented = request.headers.get(SIGNATURE_HEADER, "").strip().lower()
    if not secret or not presented.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(body_signature(secret, raw).encode(), presented.encode())
