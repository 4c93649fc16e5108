"""The responses of the simulated apps: a minimal Chinese HTML page, and JSON with the Chinese
kept literal."""

from __future__ import annotations

import functools
import html
import json
from typing import Any

from aiohttp import web

# Chinese stays literal (not \uXXXX), so a body_contains check with Chinese text can match.
_dumps = functools.partial(json.dumps, ensure_ascii=False)


def html_page(title: str, text: str, *, status: int = 200, escape: bool = True) -> web.Response:
    body = html.escape(text) if escape else text
    doc = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{body}</p></body></html>"
    )
    return web.Response(text=doc, status=status, content_type="text/html", charset="utf-8")


def json_reply(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def json_error(status: int, message: str) -> web.Response:
    return json_reply({"error": message}, status=status)
