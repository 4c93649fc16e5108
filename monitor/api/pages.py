"""Server-rendered pages (Jinja2). The full console comes later; this is the status overview."""

from __future__ import annotations

import time
from collections import defaultdict
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from monitor.api.state import STATE_KEY
from monitor.api.views import apps_view, iso
from monitor.i18n import error_label, text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def status_page(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    lang = state.language
    apps = apps_view(state.config, state.ledger.check_states())
    by_department: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for app in sorted(apps, key=lambda a: (a["status"] != "down", a["tier"], a["id"])):
        by_department[app["department"]].append(app)
    counts = {s: sum(1 for a in apps if a["status"] == s) for s in ("up", "down", "unknown")}
    html = environment().get_template("status.html").render(
        lang=lang,
        t=lambda key, **kw: text(lang, key, **kw),
        error_label=lambda kind: error_label(lang, kind),
        departments=sorted(by_department.items()),
        counts=counts,
        updated=iso(time.time(), ZoneInfo(state.config.service.timezone)),
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8")
