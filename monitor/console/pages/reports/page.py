"""The reports page: the monthly and incident reports in data_dir/reports, a form that
generates a monthly report on demand, downloads, and an incident's report rendered now.

    GET  /reports                     the list (newest first) and the generate form
    POST /reports/generate            month=YYYY-MM format=html|pdf|json|docx (signed in + CSRF)
    GET  /reports/files/{name}        one file, only names of the agreed patterns
    GET  /reports/incident/{id}?format=html|pdf|json|docx   the analysis report from the store

Reading follows console.open_read; generating needs a session. Reports are built as the
scheduled job and `report` command build them (monitor.reports), and written atomically
under the same names, so a generated file replaces the scheduled one of that month.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Final

import structlog
from aiohttp import web

from monitor.console import auth
from monitor.console.context import CONSOLE_KEY
from monitor.console.pages.reports.view import (
    FORMATS,
    WORDS,
    FileStat,
    download_headers,
    last_month,
    parse_name,
    report_list,
    this_month,
    valid_month,
)
from monitor.console.render import page, translator
from monitor.reports import (
    build_incident_report,
    build_monthly,
)
from monitor.reports.docx import report_docx_isolated
from monitor.reports.encoding import Report, encode_async
from monitor.reports.files import incident_path, monthly_path, reports_dir, write_atomic
from monitor.reports.render import (
    RenderError,
)

log = structlog.get_logger("console")

DEFAULT_FORMAT: Final = "html"


async def _encode(report: Report, fmt: str) -> bytes:
    """The report's bytes; a Word document, like a PDF, is made in a process of its own."""
    return await (report_docx_isolated(report) if fmt == "docx" else encode_async(report, fmt))


async def reports_page(request: web.Request) -> web.Response:
    auth.require_read(request)
    return await _list_page(request)


async def generate(request: web.Request) -> web.Response:
    session, form = await auth.require_action(request)
    ctx = request.app[CONSOLE_KEY]
    month = str(form.get("month", "")).strip()
    fmt = str(form.get("format", "")).strip().lower()
    if fmt not in FORMATS:
        return await _list_page(request, error="bad_format", status=400, month=month)
    now = ctx.now()
    if not valid_month(month, now, ctx.tz):
        return await _list_page(request, error="bad_month", status=400, fmt=fmt)
    report = await build_monthly(ctx.config, ctx.ledger, ctx.store, month, now,
                                 listing=ctx.listing.store, traffic=ctx.traffic)
    try:
        data = await _encode(report, fmt)
    except RenderError:
        log.exception("console_report_failed", month=month, format=fmt)
        return await _list_page(request, error="render_failed", status=500, month=month)
    path = monthly_path(ctx.data_dir, month, fmt)
    await asyncio.to_thread(write_atomic, path, data)
    log.info("console_report_generated", user=session.user, actor=session.actor, month=month,
             format=fmt, size=len(data))
    raise web.HTTPSeeOther(f"/reports?done={path.name}")


async def download(request: web.Request) -> web.StreamResponse:
    auth.require_read(request)
    name = request.match_info["name"]
    parsed = parse_name(name)
    path = reports_dir(request.app[CONSOLE_KEY].data_dir) / name
    if parsed is None or not await asyncio.to_thread(_plain_file, path):
        return _message(request, "no_such_report", name, status=404)
    return web.FileResponse(path, headers=download_headers(name, parsed.ext))


async def incident_report(request: web.Request) -> web.Response:
    auth.require_read(request)
    ctx = request.app[CONSOLE_KEY]
    incident_id = request.match_info["incident_id"]
    fmt = request.query.get("format", DEFAULT_FORMAT)
    if fmt not in FORMATS:
        return _message(request, "bad_format", fmt, status=400)
    report = await build_incident_report(ctx.config, ctx.ledger, ctx.store, incident_id,
                                         ctx.now())
    if report is None:
        return _message(request, "no_such_incident", incident_id, status=404)
    try:
        data = await _encode(report, fmt)
    except RenderError:
        log.exception("console_report_failed", incident=incident_id, format=fmt)
        return _message(request, "render_failed", incident_id, status=500)
    name = incident_path(ctx.data_dir, incident_id, fmt).name
    return web.Response(body=data, headers=download_headers(name, fmt))


async def _list_page(request: web.Request, *, error: str | None = None, status: int = 200,
                     month: str | None = None, fmt: str = DEFAULT_FORMAT) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    files = await asyncio.to_thread(_scan, reports_dir(ctx.data_dir))
    # Drafts are named by incident id; the store gives the app each one was about.
    names = {i.id: i.app_name for i in await ctx.store.list_incidents()}
    now = ctx.now()
    done = request.query.get("done", "")
    made = parse_name(done) if any(f.name == done for f in files) else None
    if made is not None and made.kind == "monthly" and month is None:
        month, fmt = made.key, made.ext  # the form as it was sent: for the next format
    return page(
        request, "reports/reports.html", title=translator(ctx.lang, WORDS)("title"),
        nav="reports", words=WORDS, status=status, error=error,
        view=report_list(files, ctx.tz, app_names=names), done=done if made else None,
        month=month if month and valid_month(month, now, ctx.tz) else last_month(now, ctx.tz),
        max_month=this_month(now, ctx.tz), formats=FORMATS,
        chosen=fmt if fmt in FORMATS else DEFAULT_FORMAT,
    )


def _message(request: web.Request, key: str, name: str, *, status: int) -> web.Response:
    """A console page that says what was not found (or could not be made), with a way back."""
    t = translator(request.app[CONSOLE_KEY].lang, WORDS)
    title = t("not_found" if status == 404 else "cannot_show")
    return page(request, "reports/reports_message.html", title=title, nav="reports",
                words=WORDS, status=status, message=t(key, name=name))


def _scan(directory: Path) -> list[FileStat]:
    """The report files of the directory; temporaries, strays and symlinks are not reports."""
    found: list[FileStat] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if parse_name(entry.name) is None or not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:  # replaced or removed while listing
                    continue
                found.append(FileStat(entry.name, stat.st_size, stat.st_mtime))
    except FileNotFoundError:  # no report written yet
        return []
    return found


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


ROUTES: Final = [
    web.get("/reports", reports_page),
    web.post("/reports/generate", generate),
    web.get("/reports/files/{name}", download),
    web.get("/reports/incident/{incident_id}", incident_report),
]
