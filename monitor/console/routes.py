"""All console routes on the service's aiohttp application."""

from __future__ import annotations

from aiohttp import web

from monitor.console.assets import STATIC_DIR
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.pages.apps import page as apps
from monitor.console.pages.governance import page as governance
from monitor.console.pages.incidents import page as incidents
from monitor.console.pages.login import page as login
from monitor.console.pages.oncall import page as oncall
from monitor.console.pages.reports import page as reports
from monitor.console.pages.wall import live
from monitor.console.pages.wall import page as wall


def install_console(app: web.Application, ctx: ConsoleContext, *, max_streams: int) -> None:
    app[CONSOLE_KEY] = ctx
    live.install(app, max_streams)  # the wall's streams end when the app shuts down
    app.router.add_routes([*login.ROUTES, *wall.ROUTES, *incidents.ROUTES, *apps.ROUTES,
                           *reports.ROUTES, *governance.ROUTES, *oncall.ROUTES])
    app.router.add_static("/static/console", STATIC_DIR)
