"""Console pages: the Jinja2 environment, the words, and one call to render a page.

    return page(request, "console/incident.html", title=..., incident=view)

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
from monitor.core.i18n import EN, ZH, pick
from monitor.templating import environment

Words = Mapping[str, Mapping[str, str]]

COMMON: Final[dict[str, dict[str, str]]] = {
    "brand": {ZH: "应用监控", EN: "App monitor"},
    "nav.wall": {ZH: "状态墙", EN: "Wall"},
    "nav.incidents": {ZH: "故障", EN: "Incidents"},
    "nav.apps": {ZH: "应用", EN: "Apps"},
    "nav.reports": {ZH: "报告", EN: "Reports"},
    "nav.governance": {ZH: "治理", EN: "Governance"},
    "nav.signin": {ZH: "登录", EN: "Sign in"},
    "nav.signout": {ZH: "退出", EN: "Sign out"},
    "status.up": {ZH: "正常", EN: "up"},
    "status.down": {ZH: "故障", EN: "down"},
    "status.unknown": {ZH: "监测异常", EN: "unknown"},
    "state.open": {ZH: "未确认", EN: "open"},
    "state.acknowledged": {ZH: "处理中", EN: "acknowledged"},
    "state.resolved": {ZH: "已恢复", EN: "resolved"},
    "severity.critical": {ZH: "严重", EN: "critical"},
    "severity.major": {ZH: "重要", EN: "major"},
    "severity.minor": {ZH: "一般", EN: "minor"},
    "tier.1": {ZH: "一级", EN: "tier 1"},
    "tier.2": {ZH: "二级", EN: "tier 2"},
    "tier.3": {ZH: "三级", EN: "tier 3"},
    "login.title": {ZH: "登录控制台", EN: "Sign in to the console"},
    "login.token": {ZH: "访问令牌", EN: "Access token"},
    "login.name": {ZH: "您的姓名（记录在处理记录中）", EN: "Your name (shown in timelines)"},
    "login.submit": {ZH: "登录", EN: "Sign in"},
    "login.bad_token": {ZH: "令牌无效。", EN: "That token is not valid."},
    "login.no_name": {ZH: "请填写姓名。", EN: "Please give your name."},
    "login.expired": {ZH: "登录表单已过期，请重试。", EN: "The form expired; please retry."},
    "login.hint": {ZH: "令牌即 service.api_tokens 中配置的值，请向值班负责人索取。",
                   EN: "A token from service.api_tokens; ask the on-call lead."},
    "signed_in_as": {ZH: "{user}", EN: "{user}"},
    "none": {ZH: "—", EN: "—"},
}


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
        open_read=ctx.config.console.open_read, asset=asset, **context)
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status,
                        headers=SECURITY_HEADERS)


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
