"""Console pages: the Jinja2 environment, the words, and one call to render a page.

    return page(request, "incidents/incident.html", title=..., incident=view)

Every page gets: lang, t (words, zh-CN or en), session (None when not signed in), csrf (the
token forms put in `_csrf`), kiosk (the wall's full-screen mode), nav (which tab is active).
Words: COMMON here plus the page's own table (`words=`), both {key: {lang: text}}.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final

from aiohttp import web

from monitor.console.assets import STATIC_DIR
from monitor.console.auth import CSRF_FIELD, csrf_token, session_of
from monitor.console.context import CONSOLE_KEY
from monitor.core.catalog.console import WORDS as CONSOLE_WORDS
from monitor.core.catalog.console_oncall import WORDS as ONCALL_WORDS
from monitor.core.i18n import pick
from monitor.templating import environment

Words = Mapping[str, Mapping[str, str]]

COMMON = CONSOLE_WORDS  # the words live in the catalog (monitor/core/catalog)


@lru_cache(maxsize=1)
def asset_version() -> str:
    """Changes whenever a CSS or JS file does, so browsers never run a stale script."""
    stamp = max((p.stat().st_mtime_ns for p in STATIC_DIR.iterdir()), default=0)
    return f"{stamp % 10**10:d}"


def asset(name: str) -> str:
    return f"/static/console/{name}?v={asset_version()}"




def translator(lang: str, words: Words | None = None) -> Any:
    def t(key: str, **values: object) -> str:
        table = words if words and key in words else COMMON
        if key not in table:
            return key  # a missing word shows its key: visible in review, never a crash
        return pick(table, lang, key, **values)

    return t


def page(request: web.Request, template: str, *, title: str, nav: str = "",
         words: Words | None = None, status: int = 200, **context: Any) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    session = session_of(request)
    lang = ctx.lang
    html = environment().get_template(template).render(
        lang=lang, t=translator(lang, words), title=title, nav=nav, session=session,
        csrf=csrf_token(ctx.session_key, session) if session else "", csrf_field=CSRF_FIELD,
        kiosk=request.query.get("kiosk") == "1", path=request.path_qs,
        open_read=ctx.config.console.open_read, asset=asset, on_duty=on_duty_line(ctx, lang),
        **context)
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status,
                        headers=SECURITY_HEADERS)


def on_duty_line(ctx: Any, lang: str) -> str:
    """"值班：李明" for the header of every page (every rotation's person, by rotation)."""
    names = []
    for status in ctx.alerts.oncall.status(ctx.now()):
        if status.now is not None:
            names.append(status.now.member.name)
    if not names:
        return ""
    separator = pick(ONCALL_WORDS, lang, "header.sep")
    return pick(ONCALL_WORDS, lang, "header.oncall", name=separator.join(dict.fromkeys(names)))


# Console pages are never framed by another site, never sniffed, and load nothing from
# elsewhere: inline styles and scripts are ours (no user text is ever placed in them).
SECURITY_HEADERS: Final = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'",
}
