"""The on-call console: server-rendered pages (aiohttp + Jinja2, no front-end build) for the
status wall, incidents, apps and reports, in Chinese by default.

    install_console(app, ConsoleContext(...))   # monitor.service, before the runner starts

Modules: context.py (what pages read), auth.py (token sign-in, session cookie, CSRF),
render.py (templates and words), routes.py, svgcharts.py, and one package per page under
pages/ (wall, incidents, apps, governance, reports, login), each with its handler (page.py),
view model (view.py), words and templates side by side. The shared layout is
monitor/templates/console/base.html; CSS and JS are in monitor/static/console/ (served as
/static/console/...).
"""

from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.routes import install_console

__all__ = ["CONSOLE_KEY", "ConsoleContext", "install_console"]
