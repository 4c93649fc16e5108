"""GET/POST /login and POST /logout."""

from __future__ import annotations

from typing import Final

import structlog
from aiohttp import web

from monitor.api.auth import well_formed
from monitor.console import auth
from monitor.console.context import CONSOLE_KEY
from monitor.console.render import page, translator

log = structlog.get_logger("console")


def _form(request: web.Request, *, error: str | None = None, status: int = 200,
          name: str = "", retry_after_s: int = 0) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    nonce = auth.new_login_nonce()
    next_path = auth.safe_next(request.query.get("next"))
    response = page(request, "login/login.html", title=translator(ctx.lang)("login.title"),
                    nav="login", error=error, error_values={"seconds": retry_after_s},
                    nonce=nonce, next_path=next_path, name=name, status=status)
    if retry_after_s:
        response.headers["Retry-After"] = str(retry_after_s)
    auth.set_login_nonce(response, ctx, nonce)
    return response


async def login_form(request: web.Request) -> web.Response:
    return _form(request)


async def login(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    try:
        form = await auth.read_form(request)
    except web.HTTPBadRequest:
        return _form(request, error="form.malformed", status=400)
    nonce, cookie = str(form.get("nonce", "")), request.cookies.get(auth.LOGIN_COOKIE, "")
    name = str(form.get("name", "")).strip()[: auth.MAX_NAME_CHARS]
    if not cookie or not well_formed(nonce) or not auth.same(nonce, cookie):
        return _form(request, error="login.expired", status=400, name=name)
    throttle = ctx.state.throttle
    if wait := throttle.retry_after(request.remote):
        log.warning("console_login_throttled", remote=request.remote, retry_after_s=wait)
        return _form(request, error="login.throttled", status=429, name=name,
                     retry_after_s=wait)
    token = str(form.get("token", ""))
    actor = auth.actor_of(ctx, token)
    if actor is None:
        throttle.failed(request.remote)
        log.warning("console_login_refused", remote=request.remote)
        return _form(request, error="login.bad_token", status=401, name=name)
    throttle.succeeded(request.remote)
    if not name:
        return _form(request, error="login.no_name", status=400)
    log.info("console_login", actor=actor, user=name)
    response = web.HTTPSeeOther(auth.safe_next(str(form.get("next", "/"))))
    auth.set_session(response, ctx, name, actor, token)
    response.del_cookie(auth.LOGIN_COOKIE, path="/login")
    raise response


async def logout(request: web.Request) -> web.Response:
    session, _ = await auth.require_action(request)
    response = web.HTTPSeeOther("/")
    auth.end_session(request, response)
    log.info("console_logout", actor=session.actor, user=session.user)
    raise response


ROUTES: Final = [
    web.get("/login", login_form),
    web.post("/login", login),
    web.post("/logout", logout),
]
