"""All console routes on the service's aiohttp application."""

from __future__ import annotations

from aiohttp import web

from monitor.console import apps, governance, incidents, live, login, reports, wall
from monitor.console.assets import STATIC_DIR
from monitor.console.context import CONSOLE_KEY, ConsoleContext


def install_console(app: web.Application, ctx: ConsoleContext, *, max_streams: int) -> None:
    app[CONSOLE_KEY] = ctx
    live.install(app, max_streams)  # the wall's streams end when the app shuts down
    app.router.add_routes([*login.ROUTES, *wall.ROUTES, *incidents.ROUTES, *apps.ROUTES,
                           *reports.ROUTES, *governance.ROUTES])
    app.router.add_static("/static/console", STATIC_DIR)
