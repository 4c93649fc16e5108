"""移动审批, the demo farm's business-flow app: login -> todo list -> logout, for a flow check."""

from __future__ import annotations

import secrets

from aiohttp import web

from monitor.demo.pages import html_page, json_error, json_reply

SESSION_COOKIE = "KQ_SESSION"
MAX_SESSIONS = 1000  # probes that never log out must not grow memory without bound
TODO_ITEMS = ("关于2026年度预算调整的请示", "柯桥区数字化改革推进会通知", "公务用车申请")


class ApprovalApp:
    """移动审批: login -> todo list -> logout, with a bearer token AND a session cookie."""

    def __init__(self, name: str, user: str, password: str) -> None:
        self.name = name
        self.user = user
        self.password = password
        self._sessions: dict[str, str] = {}  # token -> session cookie value

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._home)
        app.router.add_post("/api/login", self._login)
        app.router.add_get("/api/todo", self._todo)
        app.router.add_post("/api/logout", self._logout)
        return app

    async def _home(self, _: web.Request) -> web.Response:
        return html_page(self.name, "柯桥区移动审批：请登录后查看待办事项。")

    async def _login(self, request: web.Request) -> web.Response:
        try:
            data = await request.json()
        except ValueError:
            return json_error(400, "请求格式错误")
        credentials = (data.get("user"), data.get("password")) if isinstance(data, dict) else None
        if credentials != (self.user, self.password):
            return json_error(401, "用户名或密码错误")
        if len(self._sessions) >= MAX_SESSIONS:
            self._sessions.pop(next(iter(self._sessions)))  # drop the oldest
        token, session = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self._sessions[token] = session
        response = json_reply({"token": token, "name": "演示用户"})
        response.set_cookie(SESSION_COOKIE, session, httponly=True, path="/")
        return response

    def _token(self, request: web.Request) -> str | None:
        """The request's token if it names a live session and the cookie matches it."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        session = self._sessions.get(token) if scheme.lower() == "bearer" else None
        cookie = request.cookies.get(SESSION_COOKIE, "")
        return token if session and secrets.compare_digest(session, cookie) else None

    async def _todo(self, request: web.Request) -> web.Response:
        if self._token(request) is None:
            return json_error(401, "未登录或登录已过期")
        return json_reply({"count": len(TODO_ITEMS), "items": list(TODO_ITEMS)})

    async def _logout(self, request: web.Request) -> web.Response:
        token = self._token(request)
        if token is None:
            return json_error(401, "未登录或登录已过期")
        del self._sessions[token]
        response = json_reply({"ok": True})
        response.del_cookie(SESSION_COOKIE, path="/")
        return response
