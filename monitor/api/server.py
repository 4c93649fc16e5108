"""The aiohttp application: /healthz, /metrics, /api/v1/apps and the status page, plus the
incident API (incidents.py), the Alertmanager receiver and the phone acknowledge page.

Errors are JSON `{"error": {"code", "message"}}` everywhere under /api and for health/metrics.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import structlog
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from monitor.api import ackpage, alertmanager, incidents, oncall
from monitor.api.state import STATE_KEY, ServiceState
from monitor.api.views import apps_view
from monitor.metrics import CONTENT_TYPE

log = structlog.get_logger("api")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


# Paths that speak JSON (the contract's API and the machine endpoints); the rest is the
# console, where a person reads the error in a browser.
_MACHINE_PREFIXES = ("/api/", "/healthz", "/metrics", "/console/")


def error_for(request: web.Request, status: int, code: str, message: str) -> web.Response:
    if request.path.startswith(_MACHINE_PREFIXES):
        return error_response(status, code, message)
    return web.Response(
        status=status, content_type="text/html", charset="utf-8",
        text=f"<!doctype html><meta charset='utf-8'><meta name='viewport' "
             f"content='width=device-width, initial-scale=1'><title>{status}</title>"
             f"<p>{status}: {html.escape(message)}</p><p><a href='/'>&larr;</a></p>")


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn HTTP errors and crashes into the contract's JSON error shape (a short HTML page
    on console pages)."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = HTTPStatus(exc.status).phrase.lower().replace(" ", "_")
        return error_for(request, exc.status, code, exc.reason)
    except Exception:
        log.exception("request_failed", path=request.path, method=request.method)
        return error_for(request, 500, "internal", "internal error; see the service log")


class ProtocolLog:
    """aiohttp's server logger, minus the traceback for a request its parser refused (a raw
    byte in the URL, a bad header line): aiohttp already answered 400, and the request is
    the client's fault, so one warning says so. The parser's message is not logged: it
    quotes the request line, which may carry an acknowledge link's token."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def exception(self, msg: str, *args: Any, exc_info: object = True, **kwargs: Any) -> None:
        if isinstance(exc_info, HttpProcessingError):
            log.warning("http_request_malformed", remote=args[0] if args else None,
                        status=exc_info.code, kind=type(exc_info).__name__)
            return
        self._logger.exception(msg, *args, exc_info=exc_info, **kwargs)  # type: ignore[arg-type]  # logging takes any exc_info

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def metrics(request: web.Request) -> web.Response:
    body = request.app[STATE_KEY].metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


async def list_apps(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    return web.json_response(
        {"apps": apps_view(state.config, state.ledger.check_states())},
        dumps=_dumps,
    )


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def build_app(state: ServiceState, extra_routes: list[web.RouteDef] | None = None
              ) -> web.Application:
    app = web.Application(middlewares=[json_errors], handler_args={
        "logger": ProtocolLog(logging.getLogger("aiohttp.server"))})
    app[STATE_KEY] = state
    app.add_routes([
        web.get("/healthz", healthz),
        web.get("/metrics", metrics),
        web.get("/api/v1/apps", list_apps),
        *incidents.ROUTES,
        *alertmanager.ROUTES,
        *ackpage.ROUTES,
        *oncall.ROUTES,
        *(extra_routes or []),
    ])
    return app
